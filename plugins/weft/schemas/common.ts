// Schemas shared by weft's operations: projectId, ids, pagination and the error body.
import { z } from 'zod';
import 'zod-openapi';
import { hexIdSchema, RESERVED_PROJECT_IDS, tokenSchema } from '../../../core/index.js';

export const projectIdField = tokenSchema
  .refine((id) => !RESERVED_PROJECT_IDS.includes(id), { message: `is reserved (${RESERVED_PROJECT_IDS.join(', ')} name what spans projects); choose another projectId` })
  .optional()
  .meta({ description: 'The project; default: the token’s only project, else weft’s configured project.' });
export const workIdSchema = tokenSchema.meta({ description: 'A work id (a token: lowercase letters, digits, "_" and "-").' });
export const agentIdSchema = hexIdSchema.meta({ description: 'An agent id (hex).' });
export const targetIdSchema = tokenSchema.meta({ description: 'A spin-up target id (a token).' });
export const limitField = z.coerce.number().int().min(1).max(1000).default(100).meta({ description: 'Page size.' });
export const cursorField = z.string().regex(/^[0-9]{1,9}$/, { message: 'must be a cursor returned by an earlier page' }).optional().meta({ description: 'From nextCursor of the previous page.' });

export const projectOnlySchema = z.strictObject({ projectId: projectIdField });

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'A LOOM_ERR_* code (docs/errors.md).' }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error' });

export function page<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().optional() });
}
