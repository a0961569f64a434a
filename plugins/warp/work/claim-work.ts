// claim_work: hands one queued item of a registered capability to the caller and starts its lease.
import { z } from 'zod';
import { defineTool, workQueueService } from '../../../core/index.js';
import { capabilitySchema, claimedWorkSchema } from './schemas.js';
import { requireCapability } from './require-capability.js';

export const claimWorkTool = defineTool({
  name: 'claim_work',
  title: 'Claim the next work item for a capability',
  description:
    'Take one work item for a capability you registered (register_agent), highest priority first. Waits up to `timeout` ms for one to arrive and answers as soon as one does; claimed:false means none came. ' +
    'You then hold a lease (5 min by default, renewed by any tool call you make): finish with complete_work or fail_work before it ends, or the item goes to another agent. includePublic also takes items offered publicly by other projects.',
  input: z.strictObject({
    capability: capabilitySchema,
    timeout: z.number().int().min(0).max(60_000).default(5_000).describe('Milliseconds to wait for an item (0 = just check); default 5000'),
    includePublic: z.boolean().default(false).describe('Also claim public work offered by any project (default false)'),
  }),
  output: z.object({
    claimed: z.boolean(),
    work: claimedWorkSchema.nullable().describe('The item (with its attempt number and the errors of earlier attempts), or null'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async run({ input, ctx }) {
    await requireCapability(ctx, input.capability);
    const claimed = await ctx.use(workQueueService).forProject(ctx.projectId).claim(input.capability, {
      agentId: ctx.agentId,
      timeoutMs: input.timeout,
      signal: ctx.signal,
      includePublic: input.includePublic,
    });
    return claimed ? { claimed: true, work: { ...claimed.item, leaseExpiresAt: claimed.leaseExpiresAt } } : { claimed: false, work: null };
  },
});
