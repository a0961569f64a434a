// discard_dead_letter_item: deletes a dead letter for good.
import { z } from 'zod';
import { defineTool, workQueueService } from '../../../core/index.js';
import { deadLetterIdSchema } from './schemas.js';

export const discardDeadLetterItemTool = defineTool({
  name: 'discard_dead_letter_item',
  title: 'Discard a dead-lettered work item',
  description: 'Delete a dead-lettered work item for good. It is not retried and disappears from list_dead_letter_items. An unknown id is LOOM_ERR_NOT_FOUND.',
  input: z.strictObject({ id: deadLetterIdSchema.describe('deadLetterId from list_dead_letter_items') }),
  output: z.object({ id: z.string(), discarded: z.literal(true) }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  async run({ input, ctx }) {
    await ctx.use(workQueueService).forProject(ctx.projectId).discardDeadLetter(input.id);
    return { id: input.id, discarded: true as const };
  },
});
