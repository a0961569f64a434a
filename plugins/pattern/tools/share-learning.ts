// share_learning: copies a private memory to the team, recording who shared it and from which memory.
import { z } from 'zod';
import { defineTool, LoomError, type AnyToolDefinition } from '../../../core/index.js';
import { TEAM_CATEGORIES } from '../categories.js';
import type { MemoryStore } from '../memory-store.js';
import { allowSensitiveSchema, memoryIdSchema, memoryRecordSchema } from '../record.js';
import { assertNotSensitive } from './guard.js';

export function shareLearningTool(memories: MemoryStore): AnyToolDefinition {
  return defineTool({
    name: 'share_learning',
    title: 'Share a memory with the team',
    description: 'Copy one of your private memories to the team scope (default category learnings) so every agent of this project sees it. The copy records sharedBy and sharedFrom; your original stays unless keepOriginal is false.',
    input: z.strictObject({
      memoryId: memoryIdSchema,
      category: z.enum(TEAM_CATEGORIES).default('learnings').describe('Team category: decisions, architecture or learnings'),
      keepOriginal: z.boolean().default(true).describe('false deletes the private original after copying'),
      allowSensitive: allowSensitiveSchema,
    }),
    output: z.object({ memory: memoryRecordSchema.describe('The team copy'), originalKept: z.boolean() }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    async run({ input, ctx }) {
      const found = await memories.find(input.memoryId, 'memoryId');
      const { record } = found;
      if (record.scope !== 'private') {
        throw new LoomError('LOOM_ERR_INVALID_INPUT', `memoryId: memory ${record.id} is ${record.scope}; only private memories can be shared with the team`, { field: 'memoryId', scope: record.scope });
      }
      // The original may have been stored with allowSensitive; spreading it to the team needs saying so again.
      assertNotSensitive({ content: record.content, source: record.source }, input.allowSensitive, ctx.log);
      const memory = await memories.create({
        scope: 'team',
        category: input.category,
        content: record.content,
        tags: record.tags,
        priority: record.priority,
        source: record.source,
        relatedTo: record.relatedTo,
        sharedBy: memories.identity.agentId,
        sharedFrom: record.id,
      });
      if (!input.keepOriginal) await memories.remove(found);
      return { memory, originalKept: input.keepOriginal };
    },
  });
}
