// A start that a stopped weft left behind: its `starting` record was written before start(), and nothing will finish it.
import type { SpawnedAgent, SpinUpAttempt } from '../../core/index.js';
import type { Manager } from './context.js';

/** Past startTimeoutMs, room for an agent started just before weft died to register (and so show it was real). */
const REGISTER_MARGIN_MS = 5_000;

/**
 * Abandoned: no handle (start() never returned), no start in flight here, older than the start timeout (or the register
 * timeout, if shorter), and no recorded attempt (the process that ran it died before it could record how it ended).
 */
export async function isAbandonedStart(m: Manager, agent: SpawnedAgent, now: number): Promise<boolean> {
  if (agent.state !== 'starting' || Object.keys(agent.handle).length || m.inFlight.starts.has(agent.operationId)) return false;
  const limit = Math.min(m.options.registerTimeoutMs, m.options.startTimeoutMs + REGISTER_MARGIN_MS);
  if (now - Date.parse(agent.startedAt) <= limit) return false;
  return (await m.stores.forProject(agent.projectId).attempt(agent.operationId)) === undefined;
}

/** Frees the slot, records the attempt as failed, and lifts the cooldown that a start which never happened imposed. */
export function abandonStart(m: Manager, agent: SpawnedAgent): Promise<void> {
  // With the target's starts: the cooldown mark read and cleared here is the one those starts write.
  return m.serial(`${agent.projectId}/${agent.targetId}`, async () => {
    const store = m.stores.forProject(agent.projectId);
    const at = new Date().toISOString();
    const error = 'weft stopped during start(): the mechanism never reported back, so no agent is counted for this attempt';
    const attempt: SpinUpAttempt = {
      operationId: agent.operationId,
      projectId: agent.projectId,
      targetId: agent.targetId,
      mechanism: agent.mechanism,
      outcome: 'failed',
      at: agent.startedAt,
      agentId: agent.agentId,
      ...(agent.workId ? { workId: agent.workId } : {}),
      ...(agent.capability ? { capability: agent.capability } : {}),
      error,
      detail: error,
      stoppedAt: at,
      stopReason: 'abandoned start: its starting record was removed',
    };
    await store.removeSpawned(agent.agentId);
    await store.recordAttempt(attempt);
    await store.clearLastStart(agent.targetId, agent.operationId);
    m.ctx.log.warn({ projectId: agent.projectId, targetId: agent.targetId, operationId: agent.operationId, agentId: agent.agentId }, 'a start abandoned by a stopped weft was cleared');
  });
}
