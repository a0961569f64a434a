// Generates the REST/NATS operation table of docs/weft.md from weft's operations (the same zod schemas as the API).
// Run `npx tsx test/weft/weft-docs.ts --write` after changing an operation; test/weft/docs.test.ts checks it was.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { weftOperations } from '../../plugins/weft/index.js';

export const WEFT_DOC = fileURLToPath(new URL('../../docs/weft.md', import.meta.url));
const BEGIN = '<!-- generated:weft-operations:begin -->';
const END = '<!-- generated:weft-operations:end -->';

function fields(schema: z.ZodObject | undefined): string {
  if (!schema) return '';
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown>; required?: string[] };
  const required = new Set(json.required ?? []);
  return Object.keys(json.properties ?? {}).map((name) => (required.has(name) ? `\`${name}\`*` : `\`${name}\``)).join(', ');
}

export function operationTable(): string {
  const rows = weftOperations.map((op) => {
    const subject = op.scope === 'global' ? `coord.global.${op.verb}` : `coord.<p>.${op.area}.${op.verb}`;
    const input = [op.params ? `path: ${fields(op.params)}` : '', op.query ? `query: ${fields(op.query)}` : '', op.body ? `body: ${fields(op.body)}` : ''].filter(Boolean).join('; ') || '—';
    return `| \`${op.method.toUpperCase()} ${op.path}\` | \`${subject}\` | ${op.summary.replaceAll('|', '\\|')} | ${input} | ${op.successStatus}${op.mutates ? ' · lease holder' : ''} |`;
  });
  return ['| REST | NATS subject | what it does | input (`*` required) | success · who runs it |', '|---|---|---|---|---|', ...rows].join('\n');
}

export function renderDoc(current: string): string {
  const start = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  if (start === -1 || end === -1) throw new Error(`docs/weft.md needs the markers ${BEGIN} and ${END}`);
  return `${current.slice(0, start + BEGIN.length)}\n${operationTable()}\n${current.slice(end)}`;
}

if (process.argv.includes('--write')) {
  writeFileSync(WEFT_DOC, renderDoc(readFileSync(WEFT_DOC, 'utf8')));
  process.stdout.write('docs/weft.md updated\n');
}
