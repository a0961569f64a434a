// recall_context: what an agent reads at session start — memories in priority order and a summary of at most 4 KB.
import { z } from 'zod';
import { defineTool, scopeSchema, tokenSchema, type AnyToolDefinition } from '../../../core/index.js';
import { categorySchema } from '../categories.js';
import type { MemoryStore } from '../memory-store.js';
import { memoryRecordSchema } from '../record.js';
import { recallSections } from '../recall.js';
import { buildSummary } from '../summary.js';

export function recallContextTool(memories: MemoryStore): AnyToolDefinition {
  const maxBytes = memories.options.summaryMaxBytes;
  return defineTool({
    name: 'recall_context',
    title: 'Recall context',
    description:
      'Call at the start of a session. Returns your memories in priority order — core, longterm, team decisions, architecture, learnings, recent, tasks, then public — newest first within each, ' +
      `plus a summary of at most ${maxBytes} bytes to read first. Narrow with scopes, categories or tags.`,
    input: z.strictObject({
      scopes: z.array(scopeSchema).min(1).optional().describe('Only these scopes (default: all you can see)'),
      categories: z.array(categorySchema).min(1).optional().describe('Only these categories'),
      tags: z.array(tokenSchema).max(20).optional().describe('Only memories carrying every one of these tags'),
      limit: z.number().int().min(0).max(200).default(20).describe('How many memories to return in full (the summary covers more)'),
      maxSummaryBytes: z.number().int().min(256).max(maxBytes).default(maxBytes).describe('Upper bound of the summary in UTF-8 bytes'),
    }),
    output: z.object({
      summary: z.string(),
      summaryBytes: z.number().int(),
      memories: z.array(memoryRecordSchema),
      total: z.number().int().describe('Memories matching, before limit'),
      counts: z.record(z.string(), z.number().int()).describe('Memories per section'),
    }),
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async run({ input }) {
      const index = await memories.view();
      const now = Date.now();
      // The memories returned and the summary's lines are both a prefix of the recall order; a line takes >= 4 bytes.
      const take = Math.max(input.limit, Math.ceil(input.maxSummaryBytes / 4));
      const sections = recallSections(index, input, (item) => memories.usable(item, now), take);
      const ordered = sections.flatMap((section) => section.items);
      const total = sections.reduce((sum, section) => sum + section.count, 0);
      const { identity } = memories;
      const header = `# Memory context — agent ${identity.agentId.slice(0, 8)}, project ${identity.projectId} (${total} memories)`;
      const summary = buildSummary(header, sections.map(({ section, items, count }) => ({ title: section.title, records: items.map((item) => item.record), count })), input.maxSummaryBytes);
      return {
        summary: summary.text,
        summaryBytes: summary.bytes,
        memories: ordered.slice(0, input.limit).map((item) => item.record),
        total,
        counts: Object.fromEntries(sections.filter(({ count }) => count > 0).map(({ section, count }) => [section.id, count])),
      };
    },
  });
}
