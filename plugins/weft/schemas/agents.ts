// Agent listing and shutdown: the registry entry with the status weft computes from heartbeats.
import { z } from 'zod';
import 'zod-openapi';
import { agentEntrySchema, agentStatusSchema, tokenSchema } from '../../../core/index.js';
import { agentIdSchema, projectIdField } from './common.js';

export const agentViewSchema = agentEntrySchema
  .extend({
    status: agentStatusSchema.meta({ description: 'Effective status: offline once 3 heartbeats are missed, whatever the agent last wrote.' }),
    reportedStatus: agentStatusSchema,
  })
  .meta({ id: 'Agent' });
export type AgentView = z.infer<typeof agentViewSchema>;

export const agentListQuerySchema = z.strictObject({
  projectId: projectIdField,
  capability: tokenSchema.optional(),
  agentType: tokenSchema.optional(),
  status: agentStatusSchema.optional(),
});

export const agentIdParamsSchema = z.strictObject({ id: agentIdSchema });
export const agentShutdownSchema = z.strictObject({ projectId: projectIdField, reason: z.string().max(1000).optional() });
export const agentShutdownResultSchema = z.object({ agentId: z.string(), sent: z.boolean(), subject: z.string() });
