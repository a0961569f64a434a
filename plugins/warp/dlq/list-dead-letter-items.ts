// list_dead_letter_items: the project's dead letters, oldest first, with their error histories.
import { z } from 'zod';
import { deadLetterSchema, defineTool, tokenSchema, workQueueService } from '../../../core/index.js';
import { deadLetterIdSchema } from './schemas.js';

export const listDeadLetterItemsTool = defineTool({
  name: 'list_dead_letter_items',
  title: 'List dead-lettered work',
  description:
    'List work items that failed for good (every attempt failed, a non-retryable failure, or the last holder\'s lease ran out), oldest first, each with the errors of all its attempts. ' +
    'Filter by capability; page with the returned nextCursor. Use retry_dead_letter_item or discard_dead_letter_item with an item\'s deadLetterId.',
  input: z.strictObject({
    capability: tokenSchema.optional().describe('Only items of this capability'),
    cursor: deadLetterIdSchema.optional().describe('nextCursor of the previous page'),
    limit: z.number().int().min(1).max(100).default(20).describe('Items per page, 1-100; default 20'),
  }),
  output: z.object({
    items: z.array(deadLetterSchema),
    nextCursor: z.string().optional().describe('Pass as cursor for the next page; absent on the last page'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run({ input, ctx }) {
    return ctx.use(workQueueService).forProject(ctx.projectId).listDeadLetters({
      limit: input.limit,
      ...(input.capability ? { capability: input.capability } : {}),
      ...(input.cursor ? { cursor: input.cursor } : {}),
    });
  },
});
