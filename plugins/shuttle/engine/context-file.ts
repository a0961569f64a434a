// Writes a subtask's context.md with the results of its dependencies (fetched from KV, or the work directory).
import { subtaskOf, type Orchestration, type SubtaskRecord } from '../orchestration/record.js';
import { renderContext } from './context-doc.js';
import type { ShuttleDeps } from './runtime.js';

export const DEPENDENCY_HEADING = '## Results of the subtasks this one depends on';

export async function writeFullContext(deps: ShuttleDeps, record: Orchestration, subtask: SubtaskRecord): Promise<{ path: string; text: string }> {
  const dependencies = await Promise.all(subtask.dependsOn.map(async (depId) => ({ subtask: subtaskOf(record, depId)!, body: await deps.store.getResult(record.id, depId) })));
  const text = renderContext(record, subtask, dependencies);
  return { path: await deps.files.writeContext(record.id, subtask.id, text), text };
}
