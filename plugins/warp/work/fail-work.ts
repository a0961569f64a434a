// fail_work: reports a failed attempt; retryable items come back after a backoff, others (or the last attempt) go to the DLQ.
import { z } from 'zod';
import { defineTool, workQueueService } from '../../../core/index.js';
import { workIdSchema } from './schemas.js';

export const failWorkTool = defineTool({
  name: 'fail_work',
  title: 'Fail a claimed work item',
  description:
    'Report that an attempt at a work item you claimed failed. retryable:true (default) puts it back after a backoff for another attempt, until it has been delivered maxDeliver times (3 by default); ' +
    'then, or at once with retryable:false, it moves to the dead-letter queue with the errors of all its attempts (see list_dead_letter_items).',
  input: z.strictObject({
    workId: workIdSchema,
    error: z.string().min(1).max(16_384).describe('What went wrong; kept in the item\'s error history'),
    retryable: z.boolean().default(true).describe('Whether another attempt may succeed (default true)'),
  }),
  output: z.object({
    workId: z.string(),
    outcome: z.enum(['retrying', 'dead-lettered']),
    attempt: z.number().int().describe('The attempt that failed (1 = first delivery)'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async run({ input, ctx }) {
    const { outcome, attempt } = await ctx.use(workQueueService).forProject(ctx.projectId).fail(input.workId, ctx.agentId, input.error, input.retryable);
    return { workId: input.workId, outcome, attempt };
  },
});
