// Re-checks one orchestration: results stored without a record update, work completed while no shuttle listened.
import { complete } from '../orchestration/apply-event.js';
import { metaOf } from '../orchestration/result-body.js';
import type { ResultMeta } from '../orchestration/record.js';
import { recordCompletion } from './record-result.js';
import type { ShuttleDeps } from './runtime.js';

export function createReconcile(deps: ShuttleDeps, advance: (id: string) => Promise<unknown>) {
  return async function reconcile(id: string): Promise<void> {
    const { record } = await deps.store.read(id);
    if (!record.spawnedAt || record.synthesisStartedAt) return;
    const found = new Map<string, { meta: ResultMeta; workCompleted: boolean }>();
    const cancelled = new Set<string>();
    for (const subtask of record.subtasks) {
      if (subtask.state === 'completed') continue;
      const body = await deps.store.getResult(id, subtask.id);
      if (body) {
        found.set(subtask.id, { meta: metaOf(body), workCompleted: false });
        continue;
      }
      if ((subtask.state === 'offered' || subtask.state === 'claimed') && deps.link.connected()) {
        const done = await deps.queue().completion(subtask.workId);
        // A work item cancelled (e.g. through weft) has a completion record that is no result.
        if ((done as { cancelled?: boolean } | null)?.cancelled) cancelled.add(subtask.id);
        else if (done) found.set(subtask.id, { meta: await recordCompletion(deps, id, subtask.id, { result: done.result, agentId: done.agentId, at: done.completedAt }), workCompleted: true });
      }
    }
    if (found.size || cancelled.size) {
      await deps.store.update(id, (current) => {
        let changed = false;
        for (const subtask of current.subtasks) {
          if (cancelled.has(subtask.id) && subtask.state !== 'completed' && subtask.state !== 'failed') {
            subtask.state = 'failed';
            subtask.error = 'the work item was cancelled';
            subtask.failedAt = new Date().toISOString();
            changed = true;
          }
          const hit = found.get(subtask.id);
          if (!hit || subtask.state === 'completed') continue;
          complete(subtask, hit.meta);
          if (hit.workCompleted) subtask.workCompleted = true;
          changed = true;
        }
        return changed;
      });
    }
    await advance(id);
  };
}
