// Spin-up history and the agents weft started: what GET /api/spin-ups, /api/targets/:id/spin-ups and /api/spin-ups/agents take and give.
import { z } from 'zod';
import 'zod-openapi';
import { spawnedAgentSchema } from '../../../core/index.js';
import { projectIdField, targetIdSchema } from './common.js';
import { spinUpAttemptViewSchema } from './targets.js';

const attemptLimitField = z.coerce.number().int().min(1).max(1000).default(50).meta({ description: 'Newest attempts first; at most this many.' });

export const spinUpListQuerySchema = z.strictObject({ projectId: projectIdField, targetId: targetIdSchema.optional(), limit: attemptLimitField });
export const targetSpinUpsQuerySchema = z.strictObject({ projectId: projectIdField, limit: attemptLimitField });
export const spawnedListQuerySchema = z.strictObject({ projectId: projectIdField, targetId: targetIdSchema.optional() });

export const spinUpAttemptListSchema = z.object({ items: z.array(spinUpAttemptViewSchema) });

/** The mechanism config copied at start is left out: it may hold a mechanism's credentials. */
export const spawnedAgentViewSchema = spawnedAgentSchema.omit({ config: true }).meta({ id: 'SpawnedAgent' });
export type SpawnedAgentView = z.infer<typeof spawnedAgentViewSchema>;
export const spawnedListSchema = z.object({ items: z.array(spawnedAgentViewSchema) });
