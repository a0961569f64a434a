// How much of a capability's queue no agent is on: what deferred needs and idle scale-down both decide on.
import { effectiveStatus } from '../../core/index.js';
import type { Manager } from './context.js';

export interface Coverage {
  /** Items of the capability on the queue that no agent holds (the work stream keeps an item until it is acked). */
  unclaimed: number;
  /** Agents that will take one of them without a new spin-up: idle online ones, and ones weft started that have not registered yet. */
  coming: number;
}

export async function coverage(m: Manager, projectId: string, capability: string, depth: Record<string, number>): Promise<Coverage> {
  const now = Date.now();
  const agents = (await m.registry(projectId).discover({ capability })).filter((a) => a.projectId === projectId && effectiveStatus(a, now) !== 'offline');
  const inHand = agents.reduce((sum, a) => sum + a.currentTaskCount, 0);
  const idle = agents.filter((a) => a.currentTaskCount === 0).length;
  const registered = new Set(agents.map((a) => a.id));
  const starting = (await m.stores.forProject(projectId).spawned()).filter((s) => s.capability === capability && s.state === 'starting' && !registered.has(s.agentId)).length;
  return { unclaimed: Math.max(0, (depth[capability] ?? 0) - inHand), coming: idle + starting };
}
