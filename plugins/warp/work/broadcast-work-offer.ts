// broadcast_work_offer: puts a work item on the queue of its capability; the work id dedupes repeated offers.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineTool, tokenSchema, workQueueService } from '../../../core/index.js';
import { capabilitySchema, jsonWithin, MAX_JSON_BYTES, workIdSchema } from './schemas.js';

export const broadcastWorkOfferTool = defineTool({
  name: 'broadcast_work_offer',
  title: 'Offer work to agents with a capability',
  description:
    'Put a work item on the queue of a capability. Exactly one agent that registered the capability will claim it (claim_work), and it stays queued until one does. ' +
    'Priority 1-10: every item of a higher priority is claimed before any of a lower one, and items of one priority in the order offered. Pass your own workId to make retries of this call safe: an offer with the same workId inside the dedupe window (2 min by default) is dropped and reported as duplicate. ' +
    'scope "public" offers it to agents of every project on this NATS server; the default "team" keeps it in this project.',
  input: z.strictObject({
    taskId: tokenSchema.describe('Your id for the task this work belongs to (a lowercase token)'),
    description: z.string().min(1).max(65_536).describe('What to do, for the agent that claims it'),
    requiredCapability: capabilitySchema,
    priority: z.number().int().min(1).max(10).default(5).describe('1 (lowest) to 10 (highest); default 5'),
    deadline: z.iso.datetime({ offset: true }).optional().describe('ISO 8601 date-time by which the work should be done (informational)'),
    contextData: z.record(z.string(), z.unknown()).refine(jsonWithin(MAX_JSON_BYTES), { message: `must serialize to at most ${MAX_JSON_BYTES} bytes of JSON` }).optional().describe('Any JSON object the worker needs'),
    scope: z.enum(['team', 'public']).default('team').describe('team: this project only (default); public: any project may claim it'),
    workId: workIdSchema.optional().describe('Idempotency key and id of the work item; default: a new UUID'),
  }),
  output: z.object({
    workId: z.string(),
    duplicate: z.boolean().describe('True when an offer with this workId was already queued inside the dedupe window; nothing new was queued'),
    capability: z.string(),
    priority: z.number().int(),
    scope: z.enum(['team', 'public']),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run({ input, ctx }) {
    const workId = input.workId ?? randomUUID();
    const { duplicate } = await ctx.use(workQueueService).forProject(ctx.projectId).offer({
      workId,
      taskId: input.taskId,
      description: input.description,
      capability: input.requiredCapability,
      priority: input.priority,
      ...(input.deadline ? { deadline: input.deadline } : {}),
      ...(input.contextData ? { contextData: input.contextData } : {}),
      offeredBy: ctx.agentId,
      scope: input.scope,
    });
    return { workId, duplicate, capability: input.requiredCapability, priority: input.priority, scope: input.scope };
  },
});
