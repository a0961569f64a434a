// commit_insight: promotes a private recent or tasks memory to longterm, which removes its expiry.
import { z } from 'zod';
import { defineTool, LoomError, type AnyToolDefinition } from '../../../core/index.js';
import type { MemoryStore } from '../memory-store.js';
import { memoryIdSchema, memoryRecordSchema } from '../record.js';

export function commitInsightTool(memories: MemoryStore): AnyToolDefinition {
  return defineTool({
    name: 'commit_insight',
    title: 'Keep a memory for good',
    description: 'Promote one of your private recent or tasks memories to longterm so it no longer expires. Call it for anything from this session worth keeping. Committing a longterm memory again changes nothing.',
    input: z.strictObject({ memoryId: memoryIdSchema }),
    output: z.object({ memory: memoryRecordSchema, previousCategory: z.string(), promoted: z.boolean() }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async run({ input }) {
      const found = await memories.find(input.memoryId, 'memoryId');
      const { record } = found;
      if (record.scope === 'private' && record.category === 'longterm') return { memory: record, previousCategory: 'longterm', promoted: false };
      if (record.scope !== 'private' || (record.category !== 'recent' && record.category !== 'tasks')) {
        throw new LoomError('LOOM_ERR_INVALID_INPUT', `memoryId: memory ${record.id} is ${record.scope}/${record.category}; only private recent or tasks memories can be committed`, { field: 'memoryId', scope: record.scope, category: record.category });
      }
      const memory = await memories.move(found, 'longterm');
      return { memory, previousCategory: record.category, promoted: true };
    },
  });
}
