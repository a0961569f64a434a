// One target, one try: mechanism and config, cooldown, capacity, the beforeSpinUp veto, then start() with a deadline.
import { randomBytes } from 'node:crypto';
import { formatIssues, LoomError, type SpawnedAgent, type SpinUpAttempt, type SpinUpTarget } from '../../core/index.js';
import { agentEnvironment } from './agent-env.js';
import { secretSources } from './secret-sources.js';
import type { Manager, SpinUpCause } from './context.js';
import { newOperationId } from './records.js';

export interface TargetTry {
  attempt: SpinUpAttempt;
  /** started, failed and vetoed are recorded (and reported to afterSpinUp) as they happen; skips by the caller. */
  recorded: boolean;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Tells afterSpinUp about a recorded attempt; a failing tap is logged, never the spin-up's failure. */
export async function reportAttempt(m: Manager, attempt: SpinUpAttempt): Promise<void> {
  const { projectId, operationId, outcome, reason, error } = attempt;
  await m.ctx.hooks.afterSpinUp
    .promise({ projectId, targetId: attempt.targetId ?? 'none', mechanism: attempt.mechanism ?? 'none', reason: reason ?? '', operationId, outcome, ok: outcome === 'started', ...(error ? { error } : {}), durationMs: attempt.durationMs ?? 0 })
    .catch((err: unknown) => m.ctx.log.warn({ err, operationId }, 'an afterSpinUp tap failed'));
}

export function tryTarget(m: Manager, target: SpinUpTarget, cause: SpinUpCause): Promise<TargetTry> {
  return m.serial(`${cause.projectId}/${target.id}`, () => attempt(m, target, cause));
}

async function attempt(m: Manager, target: SpinUpTarget, cause: SpinUpCause): Promise<TargetTry> {
  const store = m.stores.forProject(cause.projectId);
  const operationId = newOperationId(randomBytes(4).toString('hex'));
  const capability = cause.capability ?? target.capabilities[0];
  const base: SpinUpAttempt = {
    operationId,
    projectId: cause.projectId,
    targetId: target.id,
    mechanism: target.mechanism,
    outcome: 'failed',
    at: new Date().toISOString(),
    reason: cause.reason,
    ...(cause.workId ? { workId: cause.workId } : {}),
    ...(capability ? { capability } : {}),
  };
  const skip = (outcome: SpinUpAttempt['outcome'], detail: string): TargetTry => ({ attempt: { ...base, outcome, detail, at: new Date().toISOString() }, recorded: false });
  const finish = async (result: SpinUpAttempt, startedAt: number): Promise<TargetTry> => {
    const done = { ...result, durationMs: Date.now() - startedAt };
    await store.recordAttempt(done);
    await reportAttempt(m, done);
    return { attempt: done, recorded: true };
  };
  const t0 = Date.now();

  if (!target.enabled) return skip('no-target', `target ${target.id} is disabled`);
  const mechanism = m.ctx.registries.spinUps.find(target.mechanism);
  if (!mechanism) {
    const error = `mechanism "${target.mechanism}" is not loaded; known: ${m.ctx.registries.spinUps.ids().join(', ') || '(none)'}`;
    return finish({ ...base, outcome: 'failed', error, detail: error }, t0);
  }
  const parsed = mechanism.targetSchema.safeParse(target.config);
  if (!parsed.success) {
    const error = `target ${target.id}: ${formatIssues(parsed.error, 'config', mechanism.targetSchema)}`;
    return finish({ ...base, outcome: 'failed', error, detail: error }, t0);
  }

  const last = await store.lastStart(target.id);
  const since = last ? Date.now() - Date.parse(last.at) : Infinity;
  if (since < target.cooldownMs) return skip('cooldown', `target ${target.id} started an agent ${Math.round(since / 1000)} s ago; its cooldown is ${Math.round(target.cooldownMs / 1000)} s`);
  const live = (await store.spawned()).filter((agent) => agent.targetId === target.id).length;
  if (live >= target.maxConcurrent) return skip('at-capacity', `target ${target.id} runs ${live} agent(s) it started; maxConcurrent is ${target.maxConcurrent}`);

  let veto: string | undefined;
  try {
    veto = await m.ctx.hooks.beforeSpinUp.promise({ projectId: cause.projectId, targetId: target.id, mechanism: target.mechanism, reason: cause.reason });
  } catch (err) {
    return finish({ ...base, outcome: 'failed', error: errorText(err), detail: errorText(err) }, t0);
  }
  if (veto) return finish({ ...base, outcome: 'vetoed', error: veto, detail: `vetoed: ${veto}` }, t0);

  // The attempt's time is when the start began: the next one's cooldown counts from here.
  base.at = new Date().toISOString();
  const agentId = randomBytes(16).toString('hex');
  const record: SpawnedAgent = {
    agentId,
    projectId: cause.projectId,
    targetId: target.id,
    mechanism: target.mechanism,
    operationId,
    ...(capability ? { capability } : {}),
    ...(cause.workId ? { workId: cause.workId } : {}),
    state: 'starting',
    handle: {},
    config: parsed.data as Record<string, unknown>,
    startedAt: base.at,
  };
  // Written before start(): a weft that dies mid-start still counts (and later reaps) this agent after a restart.
  await store.putSpawned(record);
  await store.setLastStart(target.id, operationId, base.at);
  m.touch(cause.projectId);

  const controller = new AbortController();
  const onStop = () => controller.abort();
  m.stopping.addEventListener('abort', onStop, { once: true });
  const log = m.ctx.log.child({ operationId, targetId: target.id, mechanism: target.mechanism, agentId });
  m.inFlight.starts.add(operationId);
  // Through a promise, so a start() that throws at once takes the failure path below like any other.
  const starting = Promise.resolve().then(async () => mechanism.start({
    operationId,
    projectId: cause.projectId,
    targetId: target.id,
    target: parsed.data,
    ...(capability ? { capability } : {}),
    ...(cause.workId ? { workId: cause.workId } : {}),
    env: agentEnvironment({ natsUrl: m.natsUrl(), projectId: cause.projectId, agentId, target, operationId }),
    // Read at each start: a target added since names its secrets too. Unreadable: the start fails, no secret leaks.
    withheldEnv: secretSources(await store.targets()),
    signal: controller.signal,
    log,
  }));
  // In flight until start() settles, a late one included: its record is this process's until then.
  const settled = () => void m.inFlight.starts.delete(operationId);
  starting.then(settled, settled);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), m.options.startTimeoutMs)));
  try {
    const result = await Promise.race([starting, deadline]);
    if (result === 'timeout') {
      controller.abort();
      // A late success keeps its record (the agent may still register); a late failure frees the slot.
      starting.then((late) => store.updateSpawned(agentId, (current) => ({ ...current, handle: late.handle })), () => store.removeSpawned(agentId)).catch((err: unknown) => log.warn({ err }, 'could not record a late start'));
      const error = new LoomError('LOOM_ERR_TIMEOUT', `target ${target.id}: ${target.mechanism} start did not finish within ${m.options.startTimeoutMs} ms`).message;
      return finish({ ...base, outcome: 'failed', agentId, error, detail: error }, t0);
    }
    if (result.agentId && result.agentId !== agentId) log.warn({ reported: result.agentId }, 'the mechanism reported another agent id; weft tracks the one it gave the agent');
    await store.updateSpawned(agentId, (current) => ({ ...current, handle: result.handle }));
    log.info({ durationMs: Date.now() - t0, reason: cause.reason }, 'agent spin-up started');
    return finish({ ...base, outcome: 'started', agentId, detail: `${target.mechanism} started agent ${agentId}` }, t0);
  } catch (err) {
    await store.removeSpawned(agentId).catch(() => undefined);
    log.warn({ err: errorText(err) }, 'agent spin-up failed');
    return finish({ ...base, outcome: 'failed', agentId, error: errorText(err), detail: errorText(err) }, t0);
  } finally {
    clearTimeout(timer);
    m.stopping.removeEventListener('abort', onStop);
  }
}
