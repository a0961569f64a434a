// The JSON Schemas of the work protocol, generated from the zod schemas the code uses (docs/protocol.md embeds them).
// Rewrite the block in docs/protocol.md with: npx tsx test/warp/work-protocol-schemas.ts --write
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { deadLetterRecordSchema, workCompletionSchema, workEventSchema, workHistorySchema, workMessageSchema } from '../../core/index.js';

export const workProtocolSchemas: Array<{ title: string; where: string; schema: z.ZodType }> = [
  { title: 'Work message', where: 'body of a message on `loom.<p>.work.<capability>.<band>` and `loom.public.work.<capability>.<band>`', schema: workMessageSchema },
  { title: 'Dead letter', where: 'body of a message on `loom.<p>.dlq.<capability>`; its id is the DLQ stream sequence', schema: deadLetterRecordSchema },
  { title: 'Work event', where: 'body of a message on `loom.<p>.events.work.<workId>`', schema: workEventSchema },
  { title: 'Completion record', where: 'KV `loom-completions-<p>`, key = work id, written with create (only once)', schema: workCompletionSchema },
  { title: 'Error history', where: 'KV `loom-work-history-<p>`, key = work id, updated with compare-and-set', schema: workHistorySchema },
];

export function renderSchema(schema: z.ZodType): string {
  return JSON.stringify(z.toJSONSchema(schema, { io: 'input' }), null, 2);
}

export function renderWorkSchemas(): string {
  return workProtocolSchemas.map(({ title, where, schema }) => `#### ${title}\n\n${where}.\n\n\`\`\`json\n${renderSchema(schema)}\n\`\`\`\n`).join('\n');
}

export const BEGIN = '<!-- generated:work-schemas:begin -->';
export const END = '<!-- generated:work-schemas:end -->';

if (process.argv.includes('--write')) {
  const file = new URL('../../docs/protocol.md', import.meta.url);
  const doc = readFileSync(file, 'utf8');
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/protocol.md needs the markers ${BEGIN} and ${END}`);
  writeFileSync(file, `${doc.slice(0, start + BEGIN.length)}\n${renderWorkSchemas()}${doc.slice(end)}`);
}
