// complete_work: records the result of a held item exactly once and removes it from the queue.
import { z } from 'zod';
import { defineTool, workQueueService } from '../../../core/index.js';
import { jsonWithin, MAX_JSON_BYTES, workIdSchema } from './schemas.js';

export const completeWorkTool = defineTool({
  name: 'complete_work',
  title: 'Complete a claimed work item',
  description:
    'Report the result of a work item you claimed. It is removed from the queue and a completion event carries the result to whoever follows the work (weft, shuttle). ' +
    'A work item completes exactly once: completing it again, or after another agent completed it, is refused with LOOM_ERR_CONFLICT.',
  input: z.strictObject({
    workId: workIdSchema,
    result: z.unknown().refine((value) => value !== undefined, { message: 'is required (any JSON value: a string, an object, ...)' }).refine(jsonWithin(MAX_JSON_BYTES), { message: `must serialize to at most ${MAX_JSON_BYTES} bytes of JSON` }).describe('The result: any JSON value'),
  }),
  output: z.object({ workId: z.string(), completed: z.literal(true) }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async run({ input, ctx }) {
    await ctx.use(workQueueService).forProject(ctx.projectId).complete(input.workId, ctx.agentId, input.result);
    return { workId: input.workId, completed: true as const };
  },
});
