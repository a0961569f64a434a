// Statistics per project, across projects, and the dead-letter and orchestration listings.
import { z } from 'zod';
import 'zod-openapi';
import { deadLetterSchema, tokenSchema } from '../../../core/index.js';
import { cursorField, limitField, projectIdField } from './common.js';

const countsSchema = z.record(z.string(), z.number().int());

export const projectStatsSchema = z
  .object({
    projectId: z.string(),
    agents: z.object({ online: z.number().int(), busy: z.number().int(), offline: z.number().int() }),
    work: countsSchema.meta({ description: 'Work items by state.' }),
    queueDepth: countsSchema.meta({ description: 'Items waiting, per capability.' }),
    deadLetters: z.number().int(),
  })
  .meta({ id: 'ProjectStats' });
export type ProjectStats = z.infer<typeof projectStatsSchema>;

export const projectsListSchema = z.object({
  projects: z.array(z.object({ projectId: z.string(), agents: z.number().int(), work: z.number().int(), lastActivity: z.string().optional() })),
});

export const globalStatsSchema = z.object({
  instanceId: z.string(),
  leader: z.boolean(),
  projects: z.number().int(),
  agents: z.object({ online: z.number().int(), busy: z.number().int(), offline: z.number().int() }),
  work: countsSchema,
});

export const dlqListQuerySchema = z.strictObject({ projectId: projectIdField, capability: tokenSchema.optional(), limit: limitField, cursor: z.string().max(200).optional() });
export const dlqIdParamsSchema = z.strictObject({ id: tokenSchema.meta({ description: 'A dead-letter id from GET /api/dlq.' }) });
export const dlqRetrySchema = z.strictObject({ projectId: projectIdField, resetAttempts: z.boolean().default(false) });
export const deadLetterViewSchema = deadLetterSchema.meta({ id: 'DeadLetter' });

export const orchestrationsQuerySchema = z.strictObject({ projectId: projectIdField, limit: limitField, cursor: cursorField });
export const orchestrationViewSchema = z.record(z.string(), z.unknown()).meta({ id: 'Orchestration', description: 'As shuttle stores it (KV shuttle-<p>-orchestrations).' });
