// The JSON Schema of the memory record, generated from the zod schema pattern uses (docs/protocol.md embeds it).
// Rewrite the block in docs/protocol.md with: npx tsx test/pattern/memory-protocol-schemas.ts --write
import { readFileSync, writeFileSync } from 'node:fs';
import type { z } from 'zod';
import { memoryRecordSchema } from '../../plugins/pattern/record.js';
import { renderSchema } from '../warp/work-protocol-schemas.js';

export const memoryProtocolSchemas: Array<{ title: string; where: string; schema: z.ZodType }> = [
  { title: 'Memory record', where: 'the value of every key in the memory buckets (`plugins/pattern/record.ts`, `memoryRecordSchema`)', schema: memoryRecordSchema },
];

export const BEGIN = '<!-- generated:memory-schemas:begin -->';
export const END = '<!-- generated:memory-schemas:end -->';

export function renderMemorySchemas(): string {
  return memoryProtocolSchemas.map(({ title, where, schema }) => `#### ${title}\n\n${where}.\n\n\`\`\`json\n${renderSchema(schema)}\n\`\`\`\n`).join('\n');
}

if (process.argv.includes('--write')) {
  const file = new URL('../../docs/protocol.md', import.meta.url);
  const doc = readFileSync(file, 'utf8');
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/protocol.md needs the markers ${BEGIN} and ${END}`);
  writeFileSync(file, `${doc.slice(0, start + BEGIN.length)}\n${renderMemorySchemas()}${doc.slice(end)}`);
}
