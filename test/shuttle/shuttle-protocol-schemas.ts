// The JSON Schemas of shuttle's stored records, generated from the zod schemas shuttle uses (docs/protocol.md embeds them).
// Rewrite the block in docs/protocol.md with: npx tsx test/shuttle/shuttle-protocol-schemas.ts --write
import { readFileSync, writeFileSync } from 'node:fs';
import type { z } from 'zod';
import { orchestrationSchema } from '../../plugins/shuttle/orchestration/record.js';
import { resultBodySchema } from '../../plugins/shuttle/orchestration/result-body.js';
import { renderSchema } from '../warp/work-protocol-schemas.js';

export const shuttleProtocolSchemas: Array<{ title: string; where: string; schema: z.ZodType }> = [
  { title: 'Orchestration record', where: 'KV `shuttle-<p>-orchestrations`, key = orchestration id, updated with compare-and-set; also `orchestration.json` in the work directory (`plugins/shuttle/orchestration/record.ts`, `orchestrationSchema`)', schema: orchestrationSchema },
  { title: 'Subtask result', where: 'KV `shuttle-<p>-checkpoints`, key `<orchestrationId>.result.<subtaskId>`, written with create (the first result stands); also `result.json` (`plugins/shuttle/orchestration/result-body.ts`, `resultBodySchema`)', schema: resultBodySchema },
];

export const BEGIN = '<!-- generated:shuttle-schemas:begin -->';
export const END = '<!-- generated:shuttle-schemas:end -->';

export function renderShuttleSchemas(): string {
  return shuttleProtocolSchemas.map(({ title, where, schema }) => `#### ${title}\n\n${where}.\n\n\`\`\`json\n${renderSchema(schema)}\n\`\`\`\n`).join('\n');
}

if (process.argv.includes('--write')) {
  const file = new URL('../../docs/protocol.md', import.meta.url);
  const doc = readFileSync(file, 'utf8');
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/protocol.md needs the markers ${BEGIN} and ${END}`);
  writeFileSync(file, `${doc.slice(0, start + BEGIN.length)}\n${renderShuttleSchemas()}${doc.slice(end)}`);
}
