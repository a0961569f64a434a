// The zod schemas the work tools share: field limits, the claimed item as a client sees it.
import { z } from 'zod';
import { tokenSchema, workItemSchema } from '../../../core/index.js';

/** Bytes of JSON a free-form value may take, so an item always fits one NATS message (1 MB by default). */
export const MAX_JSON_BYTES = 512 * 1024;

export function jsonWithin(max: number) {
  return (value: unknown) => value === undefined || Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8') <= max;
}

export const workIdSchema = tokenSchema.describe('Work id: a lowercase token (a-z, 0-9, "_", "-"; max 64)');
export const capabilitySchema = tokenSchema.describe('Capability: a lowercase token such as "typescript" or "code-review"');

export const claimedWorkSchema = workItemSchema.extend({
  leaseExpiresAt: z.string().describe('When the lease ends unless you complete, fail or report progress before'),
});
