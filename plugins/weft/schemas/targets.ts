// Spin-up targets: what POST/PUT take (mechanism config checked by the mechanism's own schema) and what is stored.
import { z } from 'zod';
import 'zod-openapi';
import { spinUpAttemptSchema, spinUpTargetSchema, tokenSchema } from '../../../core/index.js';
import { projectIdField, targetIdSchema } from './common.js';

const targetFields = {
  name: z.string().max(200).optional(),
  mechanism: tokenSchema.meta({ description: 'A loaded spin-up mechanism: local, ssh, kubernetes, github-actions, webhook, or a plugin’s.' }),
  agentType: tokenSchema,
  capabilities: z.array(tokenSchema).min(1),
  boundaries: z.array(tokenSchema).default([]),
  enabled: z.boolean().default(true),
  maxConcurrent: z.number().int().min(1).max(1000).default(1),
  cooldownMs: z.number().int().min(0).max(86_400_000).default(30_000),
  config: z.record(z.string(), z.unknown()).default({}).meta({ description: 'Mechanism settings, validated by the mechanism’s target schema.' }),
};

export const targetCreateSchema = z.strictObject({ projectId: projectIdField, id: targetIdSchema, ...targetFields });
export const targetUpdateSchema = z.strictObject({ projectId: projectIdField, ...targetFields });
export type TargetInput = z.output<typeof targetUpdateSchema>;
/** A target declared in loom.config.ts (options['weft:coordinator'].targets): always the config's project. */
export const declaredTargetSchema = z.strictObject({ id: targetIdSchema, ...targetFields });
export type DeclaredTarget = z.output<typeof declaredTargetSchema>;

export const targetViewSchema = spinUpTargetSchema.meta({ id: 'Target' });
export const targetIdParamsSchema = z.strictObject({ id: targetIdSchema });
export const targetSpinUpSchema = z.strictObject({ projectId: projectIdField, reason: z.string().max(1000).optional(), workId: tokenSchema.optional() });
export const spinUpAttemptViewSchema = spinUpAttemptSchema.meta({ id: 'SpinUpAttempt' });
export const targetTestResultSchema = z.object({ targetId: z.string(), ok: z.boolean(), detail: z.string().optional() });
