// Orchestrations as shuttle stores them (KV shuttle-<p>-orchestrations), read-only.
import { z } from 'zod';
import { orchestrationsQuerySchema, orchestrationViewSchema } from '../schemas/stats.js';
import { defineOperation } from './define.js';

export const orchestrationOperations = [
  defineOperation({
    id: 'orchestrations.list',
    summary: 'List shuttle orchestrations of the project',
    method: 'get',
    path: '/api/orchestrations',
    query: orchestrationsQuerySchema,
    output: z.object({ items: z.array(orchestrationViewSchema), nextCursor: z.string().optional() }),
    run: async ({ c, input, projectId }) => {
      const entries = await (await c.projects.get(projectId).orchestrationsBucket()).list<Record<string, unknown>>();
      const all = entries.map((entry) => entry.value).sort((a, b) => String(b.createdAt ?? '').localeCompare(String(a.createdAt ?? '')));
      const start = input.cursor ? Number(input.cursor) : 0;
      const items = all.slice(start, start + input.limit);
      return start + input.limit < all.length ? { items, nextCursor: String(start + input.limit) } : { items };
    },
  }),
];
