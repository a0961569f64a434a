// submit_result: what a subagent calls when its subtask is done — from any machine; the first result of a subtask stands.
import { z } from 'zod';
import { defineTool, LoomError, TOKEN_PATTERN, withSpan } from '../../../core/index.js';
import type { ShuttleRuntime } from '../engine/runtime.js';
import { complete } from '../orchestration/apply-event.js';
import { subtaskOf } from '../orchestration/record.js';
import { MAX_FILES, MAX_RESULT_BYTES, metaOf, normalizeFiles, type ResultBody } from '../orchestration/result-body.js';
import { accessFields, accessOf, orchestrationIdInput, phaseSchema, worst } from './schemas.js';

/** One stored result is one KV value: under the NATS default max payload (1 MiB), escaping included. */
const MAX_STORED_BYTES = 900 * 1024;

export function submitResultTool(runtime: ShuttleRuntime) {
  return defineTool({
    name: 'submit_result',
    title: 'Report a subtask result',
    description:
      'For subagents: call this when your subtask is done, with what you did or found (Markdown) and every file you changed — files claimed by two subtasks are reported as conflicts at synthesis. ' +
      'Works from any machine of the project (results travel over NATS and are written to the work directory). A subtask takes one result: a second one is refused. ' +
      'If you claimed the work item yourself, call complete_work on warp afterwards.',
    input: z.strictObject({
      orchestrationId: orchestrationIdInput,
      subtaskId: z.string().min(1).max(200).describe('Your subtask id (contextData.subtaskId of the work item)'),
      result: z.string().min(1, { message: 'must not be empty' }).refine((text) => Buffer.byteLength(text) <= MAX_RESULT_BYTES, { message: `must be at most ${MAX_RESULT_BYTES} bytes of UTF-8 (512 KB)` }).describe('What you did and found, in Markdown'),
      files: z.array(z.string().min(1).max(1024)).max(MAX_FILES).default([]).describe('Paths of the files you changed, relative to the repository root'),
    }),
    output: z.object({
      orchestrationId: z.string(),
      subtaskId: z.string(),
      accepted: z.boolean(),
      phase: phaseSchema,
      resultPath: z.string(),
      remaining: z.number().int().describe('Subtasks still without a result'),
      ...accessFields,
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    async run({ input, ctx }) {
      const id = input.orchestrationId;
      if (!TOKEN_PATTERN.test(input.subtaskId)) throw new LoomError('LOOM_ERR_INVALID_NAME', `subtaskId ${JSON.stringify(input.subtaskId.slice(0, 40))} is not a subtask id (a lowercase token)`, { field: 'subtaskId' });
      const { record } = await runtime.store.read(id);
      const subtask = subtaskOf(record, input.subtaskId);
      if (!subtask) throw new LoomError('LOOM_ERR_NOT_FOUND', `subtask "${input.subtaskId}" is not part of orchestration ${id}; its subtasks: ${record.subtasks.map((s) => s.id).join(', ')}`, { field: 'subtaskId' });
      if (record.synthesisStartedAt) throw new LoomError('LOOM_ERR_CONFLICT', `orchestration ${id} was already synthesized (${record.phase}); a result for subtask "${subtask.id}" can no longer be taken`, { orchestrationId: id });
      const refuse = (by: string, source: string, at: string) =>
        new LoomError('LOOM_ERR_CONFLICT', `subtask "${subtask.id}" of orchestration ${id} already has a result (from ${by} via ${source} at ${at}); a subtask takes one result`, { orchestrationId: id, subtaskId: subtask.id });
      if (subtask.result) throw refuse(subtask.result.by, subtask.result.source, subtask.result.at);
      const body: ResultBody = { orchestrationId: id, subtaskId: subtask.id, result: input.result, files: normalizeFiles(input.files), by: ctx.agentId, at: new Date().toISOString(), source: 'submit_result' };
      if (Buffer.byteLength(JSON.stringify(body)) > MAX_STORED_BYTES) {
        throw new LoomError('LOOM_ERR_INVALID_INPUT', `result: stored with its files it takes more than ${MAX_STORED_BYTES} bytes of JSON; shorten it (put long output in a file and name the file)`, { field: 'result' });
      }
      // The result joins the orchestration's trace (this tool call may come from another machine).
      const put = await withSpan('shuttle.submit_result', { parent: record.traceparent, attributes: { 'loom.orchestration_id': id, 'loom.subtask_id': subtask.id } }, () => runtime.store.putResult(body));
      if (!put.created) {
        const existing = put.existing;
        throw refuse(existing?.by ?? 'another agent', existing?.source ?? 'submit_result', existing?.at ?? 'an earlier time');
      }
      const updated = await runtime.store.update(id, (current) => {
        const target = subtaskOf(current, subtask.id)!;
        if (target.state === 'completed') return false;
        complete(target, metaOf(body));
        return true;
      });
      if (updated.degraded) runtime.kick();
      else await runtime.advance(id);
      const after = updated.degraded ? updated : await runtime.store.read(id);
      return {
        orchestrationId: id,
        subtaskId: subtask.id,
        accepted: true,
        phase: after.record.phase,
        resultPath: runtime.files.resultPath(id, subtask.id),
        remaining: after.record.subtasks.filter((s) => s.state !== 'completed').length,
        ...accessOf(worst(put, updated, after)),
      };
    },
  });
}
