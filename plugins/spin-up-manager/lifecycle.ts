// Each check: started agents move starting → running → (idle too long) stopping → torn down; vanished ones are reaped.
import { effectiveStatus, type AgentEntry, type SpawnedAgent } from '../../core/index.js';
import { abandonStart, isAbandonedStart } from './abandoned-start.js';
import type { Manager } from './context.js';
import { coverage } from './coverage.js';
import { requestShutdown, tearDown } from './teardown.js';

const busy = (entry: AgentEntry) => entry.currentTaskCount > 0 || entry.status === 'busy';
const ago = (iso: string | undefined, now: number) => (iso ? now - Date.parse(iso) : 0);

async function hasUnclaimedWork(m: Manager, projectId: string, capabilities: string[]): Promise<boolean> {
  const depth = await m.queue(projectId).depth();
  for (const capability of capabilities) if ((await coverage(m, projectId, capability, depth)).unclaimed > 0) return true;
  return false;
}

export async function checkSpawned(m: Manager, projectId: string): Promise<void> {
  const store = m.stores.forProject(projectId);
  const registry = m.registry(projectId);
  const now = Date.now();
  for (const agent of await store.spawned()) {
    if (m.stopping.aborted) return;
    const entry = await registry.get(agent.agentId);
    const alive = entry !== null && effectiveStatus(entry, now) !== 'offline';
    const save = (patch: Partial<SpawnedAgent>) => store.updateSpawned(agent.agentId, (current) => ({ ...current, ...patch }));

    if (agent.state === 'starting') {
      if (alive) await save({ state: 'running', registeredAt: new Date(now).toISOString(), ...(busy(entry) ? {} : { idleSince: new Date(now).toISOString() }) });
      else if (await isAbandonedStart(m, agent, now)) await abandonStart(m, agent);
      else if (ago(agent.startedAt, now) > m.options.registerTimeoutMs) await tearDown(m, agent, `never registered within ${m.options.registerTimeoutMs} ms`);
      continue;
    }
    if (agent.state === 'running') {
      if (!alive) {
        await tearDown(m, agent, 'the agent went away (deregistered or missed its heartbeats)');
      } else if (busy(entry)) {
        // Work in hand: never stopped, and its idle time starts again when the work is done.
        if (agent.idleSince) await save({ idleSince: undefined });
      } else if (!agent.idleSince) {
        await save({ idleSince: new Date(now).toISOString() });
      } else if (ago(agent.idleSince, now) >= m.options.idleTimeoutMs) {
        // Work waiting for one of its capabilities (it is about to claim it): stopping it now would strand that work.
        if (await hasUnclaimedWork(m, projectId, entry.capabilities)) {
          await save({ idleSince: new Date(now).toISOString() });
          continue;
        }
        const answer = await requestShutdown(m, agent, `idle for ${ago(agent.idleSince, now)} ms (idle timeout ${m.options.idleTimeoutMs} ms)`);
        if (!answer.answered) await tearDown(m, agent, 'idle past the idle timeout; did not answer the shutdown request');
        else await save({ state: 'stopping', shutdownRequestedAt: new Date(now).toISOString() });
      }
      continue;
    }
    // stopping: the agent finishes what it holds, deregisters and exits; the mechanism then cleans up what is left.
    if (!alive) await tearDown(m, agent, 'idle past the idle timeout; shut down on request');
    else if (ago(agent.shutdownRequestedAt, now) > m.options.shutdownGraceMs) await tearDown(m, agent, `idle past the idle timeout; still registered ${m.options.shutdownGraceMs} ms after the shutdown request`);
  }
}
