// Keeps this machine's work directory in step with KV for the orchestrations it holds: orchestration.json, the
// results submitted elsewhere, and context.md with dependency results once another process offered the subtask.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseOrchestration, type Orchestration } from '../orchestration/record.js';
import { DEPENDENCY_HEADING, writeFullContext } from './context-file.js';
import type { ShuttleDeps } from './runtime.js';

export function createMirror(deps: ShuttleDeps) {
  const latest = new Map<string, Orchestration>();
  let draining: Promise<void> | undefined;

  async function mirrorOne(record: Orchestration): Promise<void> {
    // Only orchestrations this machine planned or worked on; never one with changes not yet merged into KV.
    if (!existsSync(deps.files.dir(record.id)) || (await deps.files.isUnsynced(record.id))) return;
    await deps.store.mirror(record);
    for (const subtask of record.subtasks) {
      if (subtask.state === 'completed' && !(await deps.files.readResult(record.id, subtask.id))) await deps.store.getResult(record.id, subtask.id);
      if (subtask.state === 'pending' || !subtask.dependsOn.length) continue;
      const current = await readFile(deps.files.contextPath(record.id, subtask.id), 'utf8').catch(() => '');
      if (!current.includes(DEPENDENCY_HEADING)) await writeFullContext(deps, record, subtask);
    }
  }

  async function drain(): Promise<void> {
    while (latest.size) {
      const [id, record] = latest.entries().next().value as [string, Orchestration];
      latest.delete(id);
      await mirrorOne(record).catch((err: unknown) => deps.log.warn({ err, orchestrationId: id }, 'could not mirror an orchestration to the work directory'));
    }
  }

  return {
    /** Called for every change the KV watch sees; work is coalesced per orchestration and done one at a time. */
    onChange(value: unknown): void {
      const record = parseOrchestration(value);
      if (!record || record.projectId !== deps.projectId) return;
      latest.set(record.id, record);
      draining ??= drain().finally(() => (draining = undefined));
    },
    idle: () => draining ?? Promise.resolve(),
  };
}
