// Submitting and cancelling work: route, record in KV, offer on the capability queue; spin up when no agent fits.
import { randomUUID } from 'node:crypto';
import { effectiveStatus, LoomError, natsService } from '../../../core/index.js';
import { FINAL_STATES, type WorkRecord, type WorkSubmission } from '../schemas/work.js';
import { cancelInQueue, type Coordinator } from './context.js';
import { createTargetStore } from './targets.js';
import { requestSpinUp } from './spin-up.js';
import { createRecord, getRecord, updateRecord } from './work-store.js';

export async function submitWork(c: Coordinator, input: WorkSubmission & { projectId: string }): Promise<WorkRecord> {
  const project = c.projects.get(input.projectId);
  const workId = randomUUID();
  const { projectId: _p, ...fields } = input;
  const decision = await c.router.decide({ ...fields, workId, projectId: project.projectId }, project.registry());
  const now = new Date().toISOString();
  const record: WorkRecord = {
    ...fields,
    workId,
    projectId: project.projectId,
    capability: decision.capability,
    ...(decision.boundary ? { boundary: decision.boundary } : {}),
    state: 'pending',
    attempt: 0,
    decision,
    source: 'weft',
    history: [{ state: 'pending', at: now, note: `routed by ${decision.classifier}: ${decision.reason}; ${decision.eligibleAgents.length} eligible agent(s) online` }],
    createdAt: now,
    updatedAt: now,
  };
  // The record is written before the offer: an agent's claim event can never arrive for an item weft does not know.
  const work = await project.workBucket();
  await createRecord(work, workId, record);
  try {
    await project.queue().offer({
      workId,
      ...(input.taskId ? { taskId: input.taskId } : {}),
      description: input.description,
      capability: decision.capability,
      priority: input.priority,
      ...(input.deadline ? { deadline: input.deadline } : {}),
      ...(input.contextData ? { contextData: input.contextData } : {}),
      offeredBy: c.ctx.identity.agentId,
      scope: 'team',
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await updateRecord<WorkRecord>(work, workId, (current) => current && { ...current, state: 'failed', error: `could not be queued: ${message}`, history: [...current.history, { state: 'failed', at: new Date().toISOString(), note: `could not be queued: ${message}` }] });
    throw err;
  }
  await c.stateChanged({ projectId: project.projectId, workId, state: 'pending' });
  if (!decision.eligibleAgents.length) c.track(spinUpFor(c, record));
  return record;
}

async function spinUpFor(c: Coordinator, record: WorkRecord): Promise<void> {
  const project = c.projects.get(record.projectId);
  const targets = await createTargetStore(project.targetsBucket, project.projectId).list();
  const note = await requestSpinUp(c.ctx, { projectId: project.projectId, workId: record.workId, decision: record.decision!, targets });
  await updateRecord<WorkRecord>(await project.workBucket(), record.workId, (current) =>
    current && {
      ...current,
      spinUp: note,
      history: [...current.history, { state: current.state, at: note.at, note: `spin-up: ${note.outcome}${note.targetId ? ` (target ${note.targetId})` : ''}${note.detail ? `: ${note.detail}` : ''}` }],
      updatedAt: new Date().toISOString(),
    },
  );
  c.ctx.log.info({ projectId: project.projectId, workId: record.workId, outcome: note.outcome, targetId: note.targetId }, 'no eligible agent online: spin-up requested');
}

/**
 * On becoming leader: items a stopped weft routed to no agent and queued, but never noted a spin-up for (it died in
 * between, or mid-request). Asked again; the manager's need record makes a repeat of a request that did reach it
 * harmless. Items an online agent can take now are left to it.
 */
export async function reaskSpinUps(c: Coordinator, projectId: string): Promise<number> {
  const project = c.projects.get(projectId);
  const waiting = (await (await project.workBucket()).list<WorkRecord>()).map((entry) => entry.value).filter((r) => r.state === 'pending' && !r.spinUp && r.decision && !r.decision.eligibleAgents.length);
  let asked = 0;
  for (const record of waiting) {
    const { capability, allowedAgentTypes } = record.decision!;
    const online = (await project.registry().discover({ capability })).some((a) => a.projectId === project.projectId && effectiveStatus(a) !== 'offline' && (!allowedAgentTypes.length || allowedAgentTypes.includes(a.agentType)));
    if (online) continue;
    c.track(spinUpFor(c, record));
    asked++;
  }
  return asked;
}

export async function cancelWork(c: Coordinator, projectId: string, workId: string, reason?: string): Promise<WorkRecord> {
  const project = c.projects.get(projectId);
  const bucket = await project.workBucket();
  const current = await getRecord(bucket, projectId, workId);
  if (FINAL_STATES.has(current.state)) {
    throw new LoomError('LOOM_ERR_CONFLICT', `work ${workId} is already ${current.state}; only pending, assigned or in-progress work can be cancelled`, { workId, state: current.state });
  }
  const at = new Date().toISOString();
  const note = `cancelled${reason ? `: ${reason}` : ''}`;
  const { value } = await updateRecord<WorkRecord>(bucket, workId, (record) =>
    record && !FINAL_STATES.has(record.state) ? { ...record, state: 'cancelled', history: [...record.history, { state: 'cancelled', at, note }], updatedAt: at } : undefined,
  );
  if (!value || value.state !== 'cancelled') throw new LoomError('LOOM_ERR_CONFLICT', `work ${workId} finished while it was being cancelled`, { workId });
  const removed = await cancelInQueue(project.queue(), workId).catch((err: unknown) => {
    c.ctx.log.warn({ err, workId }, 'the work queue could not mark the item cancelled; weft keeps it cancelled');
    return false;
  });
  if (current.agentId && (current.state === 'assigned' || current.state === 'in-progress')) await tellHolder(c, projectId, current.agentId, workId, reason);
  await c.workEvents().publish({ type: 'cancelled', projectId, workId, capability: value.capability, at, note: `${note}${removed ? ' (removed from the queue)' : ''}` });
  await c.stateChanged({ projectId, workId, state: 'cancelled', previous: current.state, ...(current.agentId ? { agentId: current.agentId } : {}) });
  return value;
}

/**
 * The holder's command would otherwise run to its end for nothing: `loom agent` stops it and settles the item (an MCP
 * agent learns it from complete_work's LOOM_ERR_CONFLICT). Best effort: the cancellation stands either way.
 */
async function tellHolder(c: Coordinator, projectId: string, agentId: string, workId: string, reason?: string): Promise<void> {
  try {
    const nc = await c.ctx.use(natsService).connection();
    nc.publish(c.projects.get(projectId).names.controlSubject(agentId, 'cancel'), JSON.stringify({ workId, ...(reason ? { reason } : {}) }));
  } catch (err) {
    c.ctx.log.warn({ err, workId, agentId }, 'could not tell the holder of a cancelled item to stop it; its completion will be refused');
  }
}
