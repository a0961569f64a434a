// Offers the subtasks whose dependencies all have results, each as a work item with a deterministic id (re-offers dedupe).
import { createKeyedLock, isLoomError } from '../../../core/index.js';
import { readySubtasks } from '../orchestration/phase.js';
import type { Orchestration, SubtaskRecord } from '../orchestration/record.js';
import { writeFullContext } from './context-file.js';
import type { ShuttleDeps } from './runtime.js';
import { requestSpinUps } from './spin-up.js';

/** contextData.context is cut here so a work item stays well under the NATS payload limit. */
const MAX_CONTEXT_CHARS = 256 * 1024;

function describe(record: Orchestration, subtask: SubtaskRecord): string {
  return [
    `${subtask.title}`,
    '',
    subtask.instructions,
    '',
    `(Subtask "${subtask.id}" of shuttle orchestration ${record.id}. Full context: contextData.context. When done, call submit_result {orchestrationId: "${record.id}", subtaskId: "${subtask.id}", result, files}, or — under \`loom agent\` — print the result.)`,
  ].join('\n');
}

export function createAdvance(deps: ShuttleDeps) {
  const lock = createKeyedLock();
  return function advance(id: string): Promise<{ offered: string[]; pending: string[] }> {
    return lock(id, async () => {
      const { record } = await deps.store.read(id);
      if (!record.spawnedAt || record.synthesisStartedAt) return { offered: [], pending: [] };
      const ready = readySubtasks(record);
      if (!ready.length) return { offered: [], pending: [] };
      if (!deps.link.connected()) return { offered: [], pending: ready.map((subtask) => subtask.id) };
      const offered: SubtaskRecord[] = [];
      const unofferable = new Map<string, string>();
      for (const subtask of ready) {
        const { path: contextPath, text: context } = await writeFullContext(deps, record, subtask);
        try {
          await deps.queue().offer({
            workId: subtask.workId,
            taskId: record.id,
            description: describe(record, subtask),
            capability: subtask.capability,
            priority: deps.options.priority,
            contextData: {
              orchestrationId: record.id,
              subtaskId: subtask.id,
              title: subtask.title,
              wave: subtask.wave,
              dependsOn: subtask.dependsOn,
              contextPath,
              context: context.length > MAX_CONTEXT_CHARS ? `${context.slice(0, MAX_CONTEXT_CHARS)}\n[… cut; see ${contextPath}]` : context,
            },
            offeredBy: deps.agentId,
            scope: 'team',
            ...(record.traceparent ? { traceparent: record.traceparent } : {}),
          });
          offered.push(subtask);
        } catch (err) {
          if (isLoomError(err, 'LOOM_ERR_INVALID_INPUT')) {
            // Retrying cannot help (e.g. the item is larger than the server accepts): the subtask fails, visibly.
            unofferable.set(subtask.id, err.reason);
            continue;
          }
          // NATS went away mid-way: the rest stays pending and the retry loop offers it later.
          deps.log.warn({ err, orchestrationId: id, subtaskId: subtask.id }, 'could not offer a subtask; it stays pending');
          deps.link.kick();
          break;
        }
      }
      if (offered.length || unofferable.size) {
        const at = new Date().toISOString();
        const ids = new Set(offered.map((subtask) => subtask.id));
        await deps.store.update(id, (current) => {
          let changed = false;
          for (const subtask of current.subtasks) {
            if (subtask.state !== 'pending') continue;
            const why = unofferable.get(subtask.id);
            if (why) Object.assign(subtask, { state: 'failed', error: `could not be offered: ${why}`, failedAt: at });
            else if (ids.has(subtask.id)) Object.assign(subtask, { state: 'offered', offeredAt: at });
            changed ||= why !== undefined || ids.has(subtask.id);
          }
          return changed;
        });
        if (offered.length && deps.options.spinUp) deps.track(requestSpinUps(deps, record, offered));
      }
      return { offered: offered.map((subtask) => subtask.id), pending: ready.filter((subtask) => !offered.includes(subtask) && !unofferable.has(subtask.id)).map((subtask) => subtask.id) };
    });
  };
}
