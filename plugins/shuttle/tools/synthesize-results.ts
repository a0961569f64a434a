// synthesize_results: merges the results in plan order into synthesis.md, lists the conflicts, and closes the orchestration.
import { z } from 'zod';
import { defineTool, LoomError, withSpan } from '../../../core/index.js';
import type { ShuttleRuntime } from '../engine/runtime.js';
import { isSettled, outcomeOf, viewStates } from '../orchestration/phase.js';
import { conflictSchema, OUTCOMES, type Orchestration } from '../orchestration/record.js';
import type { ResultBody } from '../orchestration/result-body.js';
import { sharedKeys } from '../store/shared.js';
import { findConflicts } from '../synthesis/conflicts.js';
import { renderSynthesis } from '../synthesis/document.js';
import { refresh } from './refresh.js';
import { accessFields, accessOf, orchestrationIdInput, phaseSchema, worst } from './schemas.js';

/** Items that nobody claimed (their results came by submit_result, or never) are withdrawn: no agent should start them now. */
async function withdrawUnclaimed(runtime: ShuttleRuntime, record: Orchestration): Promise<void> {
  if (!runtime.link.connected()) return;
  const queue = runtime.queue();
  for (const subtask of record.subtasks) {
    const unclaimed = (subtask.state === 'offered' || subtask.state === 'completed') && !subtask.claimedAt && !subtask.workCompleted;
    if (!unclaimed || !queue.cancel) continue;
    await queue.cancel(subtask.workId).catch((err: unknown) => runtime.log.warn({ err, workId: subtask.workId }, 'could not withdraw an unclaimed work item'));
  }
}

/** The document itself is returned up to this size; the file always has all of it. */
const MAX_RETURNED_CHARS = 100_000;

export function synthesizeResultsTool(runtime: ShuttleRuntime) {
  return defineTool({
    name: 'synthesize_results',
    title: 'Synthesize the results',
    description:
      'Last step. Merges every subtask result, in plan order, into one document (<workDir>/<orchestrationId>/synthesis.md) and lists the conflicts: files changed by two subtasks, failed subtasks, missing results. ' +
      'Marks the orchestration complete — or partially-complete / failed when subtasks have no result. Refused while subtasks are still running unless force is true.',
    input: z.strictObject({
      orchestrationId: orchestrationIdInput,
      force: z.boolean().default(false).describe('Synthesize now even if subtasks are still running (they are listed as missing)'),
    }),
    output: z.object({
      orchestrationId: z.string(),
      phase: phaseSchema,
      outcome: z.enum(OUTCOMES),
      path: z.string(),
      conflicts: z.array(conflictSchema),
      document: z.string(),
      documentTruncated: z.boolean(),
      ...accessFields,
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async run({ input }) {
      const id = input.orchestrationId;
      await refresh(runtime, id);
      const { record: current } = await runtime.store.read(id);
      if (!input.force && !isSettled(current)) {
        const views = viewStates(current);
        const open = current.subtasks.filter((subtask) => !['completed', 'failed', 'blocked'].includes(views.get(subtask.id)!)).map((subtask) => `${subtask.id} (${views.get(subtask.id)})`);
        throw new LoomError('LOOM_ERR_CONFLICT', `orchestration ${id} still has subtasks without an outcome: ${open.join(', ')}; wait for them (checkpoint_progress shows progress) or pass force: true to synthesize what is there`, { orchestrationId: id, open });
      }
      return withSpan('shuttle.synthesize', { parent: current.traceparent, attributes: { 'loom.orchestration_id': id } }, async () => {
        const at = new Date().toISOString();
        const started = await runtime.store.update(id, (record) => {
          if (record.synthesisStartedAt) return false;
          record.synthesisStartedAt = at;
          return true;
        });
        const { record } = started;
        const results = new Map<string, ResultBody>();
        for (const subtask of record.subtasks) {
          if (subtask.state !== 'completed') continue;
          const body = await runtime.store.getResult(id, subtask.id);
          if (body) results.set(subtask.id, body);
        }
        const conflicts = findConflicts(record, results);
        const outcome = outcomeOf(record);
        const document = renderSynthesis(record, results, conflicts, outcome);
        const path = await runtime.files.writeSynthesis(id, document);
        const done = await runtime.store.update(id, (latest) => {
          latest.synthesizedAt = new Date().toISOString();
          latest.synthesis = { path, outcome, conflicts };
          return true;
        });
        await withdrawUnclaimed(runtime, done.record);
        if (done.degraded) runtime.kick();
        else if (Buffer.byteLength(document) < 900_000) await runtime.store.putShared(sharedKeys.synthesis(id), { orchestrationId: id, at: done.record.synthesizedAt, outcome, conflicts, document });
        return {
          orchestrationId: id,
          phase: done.record.phase,
          outcome,
          path,
          conflicts,
          document: document.length > MAX_RETURNED_CHARS ? document.slice(0, MAX_RETURNED_CHARS) : document,
          documentTruncated: document.length > MAX_RETURNED_CHARS,
          ...accessOf(worst(started, done)),
        };
      });
    },
  });
}
