// Needs that waited for capacity or a cooldown: started later while their capability still has unclaimed work.
import type { SpinUpTarget } from '../../core/index.js';
import { coverage } from './coverage.js';
import type { Manager } from './context.js';
import type { NeedRecord } from './records.js';
import { nextNeedState, tryCandidates } from './request.js';

/**
 * A need still pending after startTimeoutMs that no request here is handling was left by a weft that stopped
 * mid-request (killed, or it lost the lease): nobody would ask for it again, so it waits like a deferred one.
 */
async function adoptAbandoned(m: Manager, projectId: string): Promise<NeedRecord[]> {
  const store = m.stores.forProject(projectId);
  const now = Date.now();
  const waiting: NeedRecord[] = [];
  for (const need of await store.openNeeds()) {
    if (need.state === 'deferred') waiting.push(need);
    else if (!m.inFlight.needs.has(need.workId) && now - Date.parse(need.updatedAt) >= m.options.startTimeoutMs) {
      const adopted: NeedRecord = { ...need, state: 'deferred', updatedAt: new Date().toISOString() };
      await store.saveNeed(adopted);
      m.ctx.log.info({ projectId, workId: need.workId, pendingSince: need.updatedAt }, 'a spin-up need was left pending by a stopped weft; retrying it');
      waiting.push(adopted);
    }
  }
  return waiting;
}

export async function retryDeferred(m: Manager, projectId: string): Promise<void> {
  const store = m.stores.forProject(projectId);
  const needs = await adoptAbandoned(m, projectId);
  if (!needs.length) return;
  const depth = await m.queue(projectId).depth();
  const byCapability = new Map<string, NeedRecord[]>();
  for (const need of needs) byCapability.set(need.capability, [...(byCapability.get(need.capability) ?? []), need]);

  for (const [capability, waiting] of byCapability) {
    const { unclaimed, coming } = await coverage(m, projectId, capability, depth);
    // Fewer items unclaimed than needs waiting: the others were claimed meanwhile (by agents that finished, or newcomers).
    const claimed = waiting.slice(0, Math.max(0, waiting.length - unclaimed));
    for (const need of claimed) await store.saveNeed({ ...need, state: 'dropped', updatedAt: new Date().toISOString() });
    let slots = Math.min(waiting.length - claimed.length, unclaimed - coming);
    for (const need of waiting.slice(claimed.length)) {
      if (slots <= 0 || m.stopping.aborted) break;
      const targets = (await Promise.all(need.candidateIds.map((id) => store.target(id)))).filter((t): t is SpinUpTarget => t !== undefined && t.enabled);
      if (!targets.length) {
        await store.saveNeed({ ...need, state: 'unserved', updatedAt: new Date().toISOString() });
        continue;
      }
      m.inFlight.needs.add(need.workId);
      const attempt = await tryCandidates(m, targets, { projectId, reason: `${need.reason} (retry of a deferred need)`, workId: need.workId, capability }, { recordSkips: false }).finally(() => m.inFlight.needs.delete(need.workId));
      await store.saveNeed(nextNeedState(need, attempt, m.options.needRetries));
      if (attempt.outcome === 'started') slots--;
      // The first candidate still on cooldown or full: later needs of this capability would only hit the same wall.
      if (attempt.outcome === 'cooldown' || attempt.outcome === 'at-capacity') break;
    }
  }
}
