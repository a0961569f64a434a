// forget: deletes one of your memories; core needs force, team and public ones only their author may delete.
import { z } from 'zod';
import { defineTool, LoomError, type AnyToolDefinition } from '../../../core/index.js';
import type { MemoryStore } from '../memory-store.js';
import { memoryIdSchema } from '../record.js';

export function forgetTool(memories: MemoryStore): AnyToolDefinition {
  return defineTool({
    name: 'forget',
    title: 'Forget a memory',
    description: 'Delete a memory by id. You can forget your private and personal memories, and team or public memories you wrote yourself. A core memory needs force: true.',
    input: z.strictObject({
      memoryId: memoryIdSchema,
      force: z.boolean().default(false).describe('Required to forget a core memory'),
    }),
    output: z.object({ forgotten: z.object({ id: z.string(), scope: z.string(), category: z.string() }) }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    async run({ input }) {
      const found = await memories.find(input.memoryId, 'memoryId');
      const { record } = found;
      const shared = record.scope === 'team' || record.scope === 'public';
      if (shared && record.agentId !== memories.identity.agentId) {
        throw new LoomError('LOOM_ERR_FORBIDDEN', `memoryId: ${record.scope} memory ${record.id} was written by agent ${record.agentId}; only its author can forget it`, { field: 'memoryId', author: record.agentId });
      }
      if (record.category === 'core' && !input.force) {
        throw new LoomError('LOOM_ERR_FORBIDDEN', `force: memory ${record.id} is a core memory; pass force: true to forget it`, { field: 'force' });
      }
      await memories.remove(found);
      return { forgotten: { id: record.id, scope: record.scope, category: record.category } };
    },
  });
}
