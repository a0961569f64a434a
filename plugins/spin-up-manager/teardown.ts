// Ending an agent weft started: the shutdown request it obeys, then its mechanism's stop(), then the record goes.
import { createNames, natsService, type SpawnedAgent } from '../../core/index.js';
import type { Manager } from './context.js';

export interface ShutdownAnswer {
  answered: boolean;
  /** Items the agent still runs; it finishes them within its grace period before it exits. */
  running?: number;
}

/** Asks the agent to shut down on loom.<p>.control.<agentId>.shutdown; an agent that does not answer is stopped by its mechanism. */
export async function requestShutdown(m: Manager, agent: SpawnedAgent, reason: string): Promise<ShutdownAnswer> {
  const subject = createNames(agent.projectId).controlSubject(agent.agentId, 'shutdown');
  try {
    const nc = await m.ctx.use(natsService).connection();
    const reply = await nc.request(subject, JSON.stringify({ reason, by: 'weft', at: new Date().toISOString() }), { timeout: 5_000 });
    const body = reply.json<{ running?: number }>();
    return { answered: true, ...(typeof body.running === 'number' ? { running: body.running } : {}) };
  } catch (err) {
    m.ctx.log.info({ agentId: agent.agentId, err: err instanceof Error ? err.message : String(err) }, 'the agent did not answer the shutdown request; its mechanism stops it');
    return { answered: false };
  }
}

/** Calls the mechanism's stop() (if it has one) within stopTimeoutMs, then forgets the agent and notes why on its attempt. */
export async function tearDown(m: Manager, seen: SpawnedAgent, why: string): Promise<void> {
  const store = m.stores.forProject(seen.projectId);
  // The freshest record: a start that just returned may have added the handle after this check read the list.
  const agent = (await store.spawnedAgent(seen.agentId)) ?? seen;
  const mechanism = m.ctx.registries.spinUps.find(agent.mechanism);
  const log = m.ctx.log.child({ agentId: agent.agentId, targetId: agent.targetId, mechanism: agent.mechanism });
  let outcome = why;
  if (!mechanism) outcome = `${why}; mechanism ${agent.mechanism} is no longer loaded, nothing to stop`;
  else if (mechanism.stop && Object.keys(agent.handle).length) {
    const parsed = mechanism.targetSchema.safeParse(agent.config);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        mechanism.stop({ handle: agent.handle, target: parsed.success ? parsed.data : agent.config, log }),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`stop did not finish within ${m.options.stopTimeoutMs} ms`)), m.options.stopTimeoutMs))),
      ]);
      outcome = `${why}; torn down by ${agent.mechanism}`;
    } catch (err) {
      outcome = `${why}; ${agent.mechanism} stop failed: ${err instanceof Error ? err.message : String(err)}`;
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'mechanism stop failed');
    } finally {
      clearTimeout(timer);
    }
  }
  await store.removeSpawned(agent.agentId);
  await store.updateAttempt(agent.operationId, { stoppedAt: new Date().toISOString(), stopReason: outcome });
  log.info({ why: outcome }, 'started agent torn down');
}
