// list_orchestrations: this project's orchestrations, newest first, with phase and subtask counts.
import { z } from 'zod';
import { defineTool } from '../../../core/index.js';
import type { ShuttleRuntime } from '../engine/runtime.js';
import { accessFields, accessOf, counts, phaseSchema } from './schemas.js';

export function listOrchestrationsTool(runtime: ShuttleRuntime) {
  return defineTool({
    name: 'list_orchestrations',
    title: 'List orchestrations',
    description: 'Orchestrations of this project (kept 24 h after their last change in NATS, and in the work directory), newest first, optionally only those in one phase.',
    input: z.strictObject({
      phase: phaseSchema.optional().describe('Only orchestrations in this phase'),
      limit: z.number().int().min(1).max(500).default(50),
      cursor: z.string().regex(/^\d{1,6}$/, { message: 'must be a nextCursor from an earlier answer' }).optional(),
    }),
    output: z.object({
      orchestrations: z.array(
        z.object({
          orchestrationId: z.string(),
          task: z.string().describe('The first 200 characters of the task'),
          phase: phaseSchema,
          createdBy: z.string(),
          createdAt: z.string(),
          updatedAt: z.string(),
          subtasks: z.number().int(),
          counts: z.record(z.string(), z.number().int()),
        }),
      ),
      nextCursor: z.string().optional(),
      ...accessFields,
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async run({ input }) {
      const listed = await runtime.store.list();
      const all = listed.records.filter((record) => !input.phase || record.phase === input.phase).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
      const start = input.cursor ? Number(input.cursor) : 0;
      const page = all.slice(start, start + input.limit).map((record) => ({
        orchestrationId: record.id,
        task: record.task.length > 200 ? `${record.task.slice(0, 199)}…` : record.task,
        phase: record.phase,
        createdBy: record.createdBy,
        createdAt: record.createdAt,
        updatedAt: record.updatedAt,
        subtasks: record.subtasks.length,
        counts: counts(record),
      }));
      return { orchestrations: page, ...(start + input.limit < all.length ? { nextCursor: String(start + input.limit) } : {}), ...accessOf(listed) };
    },
  });
}
