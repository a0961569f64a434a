// Applies the project's work events to the orchestrations they belong to, through a durable consumer shared by every
// shuttle process of the project: an event is handled once, and a restarted shuttle resumes where the last stopped.
import { isLoomError, withSpan, type WorkEvent } from '../../../core/index.js';
import { orchestrationOfWork } from '../ids.js';
import { applyWorkEvent } from '../orchestration/apply-event.js';
import type { ResultMeta } from '../orchestration/record.js';
import { recordCompletion } from './record-result.js';
import type { ShuttleDeps } from './runtime.js';

export function createEventHandler(deps: ShuttleDeps, advance: (id: string) => Promise<unknown>) {
  return async function onEvent(event: WorkEvent): Promise<void> {
    const id = event.projectId === deps.projectId ? orchestrationOfWork(event.workId) : undefined;
    if (!id) return;
    try {
      let result: ResultMeta | undefined;
      if (event.type === 'completed') {
        const { record } = await deps.store.read(id);
        const subtask = record.subtasks.find((candidate) => candidate.workId === event.workId);
        if (!subtask) return;
        // A worker's completion becomes the subtask's result inside the trace the work item carried.
        result = subtask.result ?? (await withSpan('shuttle.result', { kind: 'consumer', parent: event.traceparent, attributes: { 'loom.orchestration_id': id, 'loom.subtask_id': subtask.id, 'loom.work_id': event.workId } }, () => recordCompletion(deps, id, subtask.id, { result: event.result, agentId: event.agentId, at: event.at })));
      }
      const { changed } = await deps.store.update(id, (record) => applyWorkEvent(record, event, result));
      if (changed) await advance(id);
    } catch (err) {
      // An orchestration that expired or never existed here: nothing to update.
      if (isLoomError(err, 'LOOM_ERR_NOT_FOUND')) return;
      throw err;
    }
  };
}
