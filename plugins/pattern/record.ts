// The memory record of SPEC §6 and the zod pieces tool inputs share (content size, tags, ids, priority).
import { z } from 'zod';
import { hexIdSchema, scopeSchema, tokenSchema } from '../../core/index.js';
import { categorySchema } from './categories.js';

export const MAX_CONTENT_BYTES = 32 * 1024;

/** Content is measured in UTF-8 bytes, the unit it is stored in. */
export const contentSchema = z
  .string()
  .min(1, { message: 'must not be empty' })
  .superRefine((value, ctx) => {
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > MAX_CONTENT_BYTES) ctx.addIssue({ code: 'custom', message: `must be at most 32 KB (${MAX_CONTENT_BYTES} bytes as UTF-8); got ${bytes} bytes` });
  })
  .describe('What to remember, plain text or Markdown, at most 32 KB');

export const memoryIdSchema = hexIdSchema.describe('A memory id as returned by remember and friends (hex)');
export const tagsSchema = z.array(tokenSchema).max(20).default([]).describe('Lowercase tokens to find the memory by, e.g. ["auth", "nats"]');
export const prioritySchema = z.number().int().min(1).max(3).default(2).describe('1 = low, 2 = normal, 3 = high');
export const sourceSchema = z.string().min(1).max(512).describe('Where this came from: a file, URL, ticket or conversation');
export const relatedToSchema = z.array(memoryIdSchema).max(20).describe('Ids of related memories');
export const allowSensitiveSchema = z.boolean().default(false).describe('Store content that looks like a secret anyway (only when you are sure it is not one)');

const isoDate = z.string().describe('ISO 8601 timestamp');

export const memoryRecordSchema = z.object({
  id: z.string(),
  agentId: z.string(),
  principal: z.string(),
  projectId: z.string(),
  scope: scopeSchema,
  category: categorySchema,
  content: z.string(),
  tags: z.array(z.string()),
  priority: z.number().int().min(1).max(3),
  source: z.string().optional(),
  relatedTo: z.array(z.string()).optional(),
  createdAt: isoDate,
  updatedAt: isoDate,
  /** Absent for memories that never expire. */
  expiresAt: isoDate.optional(),
  /** Set on a team copy made by share_learning: who shared it and the id it was copied from. */
  sharedBy: z.string().optional(),
  sharedFrom: z.string().optional(),
});

export type MemoryRecord = z.infer<typeof memoryRecordSchema>;

/** A stored memory is expired once its expiresAt has passed; it is then never returned. */
export function isExpired(record: Pick<MemoryRecord, 'expiresAt'>, now = Date.now()): boolean {
  return record.expiresAt !== undefined && Date.parse(record.expiresAt) <= now;
}
