// search_memories: full-text ranking over every memory the caller can see.
import { z } from 'zod';
import { defineTool, scopeSchema, tokenSchema, type AnyToolDefinition } from '../../../core/index.js';
import { categorySchema } from '../categories.js';
import type { MemoryStore } from '../memory-store.js';
import { memoryRecordSchema } from '../record.js';

export function searchMemoriesTool(memories: MemoryStore): AnyToolDefinition {
  return defineTool({
    name: 'search_memories',
    title: 'Search memories',
    description: 'Find memories by what they say: ranks every memory you can see (private, personal, team, public) by relevance to the query, best first. Prefix and typo-tolerant; tags weigh double.',
    input: z.strictObject({
      query: z.string().trim().min(1).max(1000).describe('Words to look for'),
      scopes: z.array(scopeSchema).min(1).optional().describe('Only these scopes'),
      categories: z.array(categorySchema).min(1).optional().describe('Only these categories'),
      tags: z.array(tokenSchema).max(20).optional().describe('Only memories carrying every one of these tags'),
      limit: z.number().int().min(1).max(100).default(10),
    }),
    output: z.object({
      results: z.array(z.object({ memory: memoryRecordSchema, score: z.number() })),
      total: z.number().int().describe('Matching memories before limit'),
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async run({ input }) {
      const index = await memories.view();
      const now = Date.now();
      const accept = (ref: string) => {
        const item = index.get(ref);
        if (!item || !memories.usable(item, now)) return false;
        if (input.scopes && !input.scopes.includes(item.scope)) return false;
        if (input.categories && !input.categories.includes(item.record.category)) return false;
        return !input.tags || input.tags.every((tag) => item.record.tags.includes(tag));
      };
      const page = index.search.search(input.query, accept, input.limit);
      return {
        results: page.hits.map((hit) => ({ memory: index.get(hit.ref)!.record, score: hit.score })),
        total: page.total,
      };
    },
  });
}
