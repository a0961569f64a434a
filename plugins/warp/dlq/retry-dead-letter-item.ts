// retry_dead_letter_item: puts a dead letter back on its queue and removes it from the DLQ.
import { z } from 'zod';
import { defineTool, workQueueService } from '../../../core/index.js';
import { deadLetterIdSchema } from './schemas.js';

export const retryDeadLetterItemTool = defineTool({
  name: 'retry_dead_letter_item',
  title: 'Retry a dead-lettered work item',
  description:
    'Put a dead-lettered item back on its capability\'s queue (same work id, priority and scope) and remove it from the dead-letter queue; its error history is kept. ' +
    'By default its attempt count continues where it stopped (with at least one more attempt; if that fails it returns to the DLQ); resetAttempts:true starts the count at 1 again with the full number of attempts.',
  input: z.strictObject({
    id: deadLetterIdSchema.describe('deadLetterId from list_dead_letter_items'),
    resetAttempts: z.boolean().default(false).describe('Start counting attempts from 1 again (default false)'),
  }),
  output: z.object({ id: z.string(), workId: z.string(), retried: z.literal(true) }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async run({ input, ctx }) {
    const { workId } = await ctx.use(workQueueService).forProject(ctx.projectId).retryDeadLetter(input.id, { resetAttempts: input.resetAttempts });
    return { id: input.id, workId, retried: true as const };
  },
});
