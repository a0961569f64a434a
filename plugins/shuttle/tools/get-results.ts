// get_results: the results so far, with each subtask's state (from the work directory when NATS is down).
import { z } from 'zod';
import { defineTool, LoomError } from '../../../core/index.js';
import type { ShuttleRuntime } from '../engine/runtime.js';
import { refresh } from './refresh.js';
import { accessFields, accessOf, orchestrationIdInput, phaseSchema, subtaskViewSchema, subtaskViews } from './schemas.js';

export function getResultsTool(runtime: ShuttleRuntime) {
  return defineTool({
    name: 'get_results',
    title: 'Get subtask results',
    description: 'The results submitted so far for an orchestration (all subtasks, or the ones named), in plan order, with each subtask\'s state. `complete` is true once every subtask has a result.',
    input: z.strictObject({
      orchestrationId: orchestrationIdInput,
      subtaskIds: z.array(z.string().max(200)).max(500).optional().describe('Only these subtasks (default: all)'),
    }),
    output: z.object({
      orchestrationId: z.string(),
      phase: phaseSchema,
      complete: z.boolean(),
      subtasks: z.array(subtaskViewSchema.extend({ result: z.string().optional(), submittedBy: z.string().optional(), submittedAt: z.string().optional(), source: z.string().optional() })),
      ...accessFields,
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async run({ input }) {
      const id = input.orchestrationId;
      await refresh(runtime, id);
      const read = await runtime.store.read(id);
      const { record } = read;
      const known = new Set(record.subtasks.map((subtask) => subtask.id));
      const unknown = (input.subtaskIds ?? []).filter((subtaskId) => !known.has(subtaskId));
      if (unknown.length) throw new LoomError('LOOM_ERR_NOT_FOUND', `subtaskIds: ${unknown.map((s) => `"${s.slice(0, 40)}"`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not part of orchestration ${id}; its subtasks: ${[...known].join(', ')}`, { field: 'subtaskIds' });
      const wanted = input.subtaskIds ? new Set(input.subtaskIds) : known;
      const subtasks = await Promise.all(
        subtaskViews(record)
          .filter((view) => wanted.has(view.id))
          .map(async (view) => {
            const body = view.hasResult ? await runtime.store.getResult(id, view.id) : undefined;
            return body ? { ...view, result: body.result, submittedBy: body.by, submittedAt: body.at, source: body.source } : view;
          }),
      );
      return { orchestrationId: id, phase: record.phase, complete: record.subtasks.every((subtask) => subtask.state === 'completed'), subtasks, ...accessOf(read) };
    },
  });
}
