// What synthesis must not paper over: files changed by more than one subtask, failed subtasks, missing results.
import { viewStates } from '../orchestration/phase.js';
import type { Conflict, Orchestration } from '../orchestration/record.js';
import type { ResultBody } from '../orchestration/result-body.js';

export function findConflicts(record: Orchestration, results: ReadonlyMap<string, ResultBody>): Conflict[] {
  const conflicts: Conflict[] = [];
  const changedBy = new Map<string, string[]>();
  for (const subtask of record.subtasks) {
    for (const file of results.get(subtask.id)?.files ?? []) changedBy.set(file, [...(changedBy.get(file) ?? []), subtask.id]);
  }
  for (const [file, subtaskIds] of [...changedBy].sort(([a], [b]) => a.localeCompare(b))) {
    if (subtaskIds.length > 1) conflicts.push({ type: 'same-file', file, subtaskIds, detail: `${file} was changed by ${subtaskIds.length} subtasks (${subtaskIds.join(', ')}): check that their changes fit together` });
  }
  const views = viewStates(record);
  for (const subtask of record.subtasks) {
    const view = views.get(subtask.id);
    if (results.has(subtask.id)) continue;
    if (view === 'failed') conflicts.push({ type: 'failed', subtaskIds: [subtask.id], detail: `subtask ${subtask.id} failed${subtask.error ? `: ${subtask.error}` : ''}; its part of the task is not done` });
    else if (view === 'blocked') {
      const failedDeps = subtask.dependsOn.filter((dep) => views.get(dep) === 'failed' || views.get(dep) === 'blocked');
      conflicts.push({ type: 'failed', subtaskIds: [subtask.id], detail: `subtask ${subtask.id} never ran: it depends on ${failedDeps.join(', ')}, which failed` });
    } else conflicts.push({ type: 'missing', subtaskIds: [subtask.id], detail: `subtask ${subtask.id} has no result (it is ${view})` });
  }
  return conflicts;
}
