// request(need) and spinUp(target): candidates in order, one start per need, and the need's state kept in KV.
import { randomBytes } from 'node:crypto';
import { assertToken, type SpinUpAttempt, type SpinUpNeed, type SpinUpTarget } from '../../core/index.js';
import type { Manager, SpinUpCause } from './context.js';
import { newOperationId, type NeedRecord } from './records.js';
import { reportAttempt, tryTarget, type TargetTry } from './start-target.js';

/** Tries targets in order until one starts; returns that attempt, or the most telling of the others. */
export async function tryCandidates(m: Manager, targets: SpinUpTarget[], cause: SpinUpCause, options: { recordSkips: boolean }): Promise<SpinUpAttempt> {
  const tries: TargetTry[] = [];
  for (const target of targets) {
    const result = await tryTarget(m, target, cause);
    if (result.attempt.outcome === 'started') return result.attempt;
    tries.push(result);
  }
  const reached = tries.find((t) => t.recorded);
  if (reached) return reached.attempt;
  const summary: SpinUpAttempt = tries.length
    ? {
        ...tries[0]!.attempt,
        // at-capacity wins over cooldown: it says more about why nothing started.
        outcome: tries.some((t) => t.attempt.outcome === 'at-capacity') ? 'at-capacity' : tries[0]!.attempt.outcome,
        detail: tries.map((t) => t.attempt.detail).join('; '),
      }
    : {
        operationId: newOperationId(randomBytes(4).toString('hex')),
        projectId: cause.projectId,
        outcome: 'no-target',
        at: new Date().toISOString(),
        reason: cause.reason,
        detail: `no enabled target can start an agent${cause.capability ? ` with capability ${cause.capability}` : ''}; add one with POST /api/targets`,
        ...(cause.workId ? { workId: cause.workId } : {}),
        ...(cause.capability ? { capability: cause.capability } : {}),
      };
  if (options.recordSkips) {
    await m.stores.forProject(cause.projectId).recordAttempt(summary);
    await reportAttempt(m, summary);
  }
  return summary;
}

/** The capability a start for one target serves: the first of the target's that has work queued, else its first. */
export async function capabilityFor(m: Manager, target: SpinUpTarget): Promise<string> {
  const depth = target.capabilities.length > 1 ? await m.queue(target.projectId).depth() : {};
  return target.capabilities.find((capability) => (depth[capability] ?? 0) > 0) ?? target.capabilities[0] ?? 'default';
}

/** What a need becomes after an attempt. */
export function nextNeedState(need: NeedRecord, attempt: SpinUpAttempt, retries: number): NeedRecord {
  const failures = need.failures + (attempt.outcome === 'failed' || attempt.outcome === 'vetoed' ? 1 : 0);
  const state: NeedRecord['state'] =
    attempt.outcome === 'started' ? 'served'
    : attempt.outcome === 'no-target' ? 'unserved'
    : (attempt.outcome === 'failed' || attempt.outcome === 'vetoed') && failures > retries ? 'failed'
    : 'deferred';
  return { ...need, state, failures, lastOutcome: attempt.outcome, operationId: attempt.operationId, updatedAt: new Date().toISOString() };
}

export async function requestSpinUp(m: Manager, need: SpinUpNeed): Promise<SpinUpAttempt> {
  const projectId = assertToken('projectId', need.projectId);
  const capability = assertToken('capability', need.capability);
  const cause: SpinUpCause = { projectId, reason: need.reason, capability, ...(need.workId ? { workId: assertToken('workId', need.workId) } : {}) };
  m.touch(projectId);
  if (!cause.workId) return tryCandidates(m, need.candidates, cause, { recordSkips: true });

  const store = m.stores.forProject(projectId);
  const now = new Date().toISOString();
  const record: NeedRecord = {
    workId: cause.workId,
    projectId,
    capability,
    ...(need.boundary ? { boundary: need.boundary } : {}),
    agentTypes: need.agentTypes,
    reason: need.reason,
    candidateIds: need.candidates.map((t) => t.id),
    state: 'pending',
    failures: 0,
    createdAt: now,
    updatedAt: now,
  };
  // Marked before the claim: the check loop never takes a need this process is handling for abandoned.
  const workId = cause.workId;
  const alreadyHere = m.inFlight.needs.has(workId);
  m.inFlight.needs.add(workId);
  try {
    if (!(await store.claimNeed(record))) return await alreadyHandled(m, projectId, workId);
    let attempt: SpinUpAttempt;
    try {
      attempt = await tryCandidates(m, need.candidates, cause, { recordSkips: true });
    } catch (err) {
      // Leave the need for the retry loop rather than pending forever.
      await store.saveNeed({ ...record, state: 'deferred', updatedAt: new Date().toISOString() });
      throw err;
    }
    await store.saveNeed(nextNeedState(record, attempt, m.options.needRetries));
    return attempt;
  } finally {
    if (!alreadyHere) m.inFlight.needs.delete(workId);
  }
}

/** The same work item asked twice (a retried request, a restarted weft): answer with what happened the first time. */
async function alreadyHandled(m: Manager, projectId: string, workId: string): Promise<SpinUpAttempt> {
  const store = m.stores.forProject(projectId);
  // A request for the same item may still be running here: wait for its outcome rather than guess.
  const deadline = Date.now() + m.options.startTimeoutMs + 1_000;
  let need = await store.need(workId);
  while (need?.state === 'pending' && Date.now() < deadline && Date.now() - Date.parse(need.updatedAt) < m.options.startTimeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    need = await store.need(workId);
  }
  if (need?.state === 'pending') {
    // Left pending by a weft that stopped mid-request: the retry loop takes it from here.
    need = { ...need, state: 'deferred', updatedAt: new Date().toISOString() };
    await store.saveNeed(need);
  }
  const detail = `work ${workId} already had a spin-up request (${need?.state ?? 'unknown'}); not starting another agent for it`;
  const recorded = need?.operationId ? await store.attempt(need.operationId) : undefined;
  if (recorded) return { ...recorded, detail: `${detail}: ${recorded.detail ?? recorded.outcome}` };
  return {
    operationId: need?.operationId ?? newOperationId(randomBytes(4).toString('hex')),
    projectId,
    outcome: need?.lastOutcome ?? 'cooldown',
    at: new Date().toISOString(),
    workId,
    detail,
    ...(need ? { capability: need.capability } : {}),
  };
}
