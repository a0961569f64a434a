// A mechanism written in the tests through the public API: it records what the manager asks of it, and can act as an agent.
import { z } from 'zod';
import { defineSpinUp, type ProjectRegistry } from '../../core/index.js';

export interface MechanismLog {
  starts: Array<{ operationId: string; targetId: string; agentId: string; workId?: string; capability?: string; env: Record<string, string> }>;
  stops: Array<{ agentId: string; handle: Record<string, unknown> }>;
  /** Agents started and not stopped, and the most there ever were at once, per target. */
  live: Map<string, number>;
  maxLive: Map<string, number>;
  /** Set after the kernel starts: where `register` mode registers its pretend agent. */
  registry?: ProjectRegistry;
}

export function createTestMechanism(name: `spin-up:${string}` = 'spin-up:fake') {
  const log: MechanismLog = { starts: [], stops: [], live: new Map(), maxLive: new Map() };
  const plugin = defineSpinUp({
    name,
    target: z.strictObject({
      /** quiet: starts nothing that registers; register: registers an agent (no shutdown listener); fail: throws; hang: never returns. */
      mode: z.enum(['quiet', 'register', 'fail', 'hang']).default('quiet'),
      capability: z.string().default('work'),
    }),
    async start({ target, env, operationId, targetId, workId, capability, signal }) {
      const agentId = env.LOOMINAL_AGENT_ID!;
      log.starts.push({ operationId, targetId, agentId, ...(workId ? { workId } : {}), ...(capability ? { capability } : {}), env });
      if (target.mode === 'fail') throw new Error(`cannot start an agent on ${targetId}: the pretend host is down`);
      if (target.mode === 'hang') await new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
      const live = (log.live.get(targetId) ?? 0) + 1;
      log.live.set(targetId, live);
      log.maxLive.set(targetId, Math.max(live, log.maxLive.get(targetId) ?? 0));
      if (target.mode === 'register') await log.registry!.register({ agentId, agentType: 'worker', capabilities: [target.capability], scope: 'team' });
      return { handle: { targetId, agentId }, agentId };
    },
    async stop({ handle }) {
      const agentId = String(handle.agentId);
      log.stops.push({ agentId, handle });
      log.live.set(String(handle.targetId), (log.live.get(String(handle.targetId)) ?? 1) - 1);
      if (log.registry && (await log.registry.get(agentId))) await log.registry.deregister(agentId);
    },
  });
  return { plugin, log };
}
