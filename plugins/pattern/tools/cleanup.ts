// cleanup: deletes the caller's expired memories from storage (reads never return them either way).
import { z } from 'zod';
import { defineTool, type AnyToolDefinition } from '../../../core/index.js';
import type { MemoryStore } from '../memory-store.js';

export function cleanupTool(memories: MemoryStore): AnyToolDefinition {
  return defineTool({
    name: 'cleanup',
    title: 'Delete expired memories',
    description: 'Delete your expired private memories (recent and tasks past their lifetime) from storage. Expired memories are never returned anyway; this frees the space. dryRun only counts them.',
    input: z.strictObject({ dryRun: z.boolean().default(false).describe('Count, do not delete') }),
    output: z.object({
      deleted: z.number().int().describe('Expired memories deleted (or, with dryRun, that would be)'),
      scanned: z.number().int(),
      byCategory: z.record(z.string(), z.number().int()),
      dryRun: z.boolean(),
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    async run({ input }) {
      const { expired, scanned } = await memories.sweep(input.dryRun);
      const byCategory: Record<string, number> = {};
      for (const record of expired) byCategory[record.category] = (byCategory[record.category] ?? 0) + 1;
      return { deleted: expired.length, scanned, byCategory, dryRun: input.dryRun };
    },
  });
}
