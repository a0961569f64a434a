// docs/errors.md stays in step with core/errors.ts: every code has a row with a "how to fix", and no row is stale.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../../core/errors.js';

interface Row {
  code: string;
  what: string;
  fix: string;
}

function parseTable(markdown: string): Row[] {
  const lines = markdown.split('\n').filter((line) => line.trim().startsWith('|'));
  const header = lines[0]?.split('|').map((cell) => cell.trim().toLowerCase()) ?? [];
  const at = (name: string) => header.indexOf(name);
  expect(at('code'), 'the table needs a "code" column').toBeGreaterThan(0);
  expect(at('how to fix'), 'the table needs a "how to fix" column').toBeGreaterThan(0);
  return lines.slice(2).map((line) => {
    const cells = line.split('|').map((cell) => cell.trim());
    return { code: (cells[at('code')] ?? '').replaceAll('`', ''), what: cells[at('what happened')] ?? '', fix: cells[at('how to fix')] ?? '' };
  });
}

describe('docs/errors.md', () => {
  const rows = parseTable(readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8'));
  const documented = new Map(rows.map((row) => [row.code, row]));

  it('has a row for every error code', () => {
    const missing = Object.keys(errorCodes).filter((code) => !documented.has(code));
    expect(missing, `add these codes to docs/errors.md: ${missing.join(', ')}`).toEqual([]);
  });

  it('says what happened and how to fix it for every code', () => {
    for (const code of Object.keys(errorCodes)) {
      const row = documented.get(code);
      expect(row?.what.length, `${code}: "what happened" is empty`).toBeGreaterThan(10);
      expect(row?.fix.length, `${code}: "how to fix" is empty`).toBeGreaterThan(10);
    }
  });

  it('lists no code that core/errors.ts does not have, and none twice', () => {
    expect(rows.map((row) => row.code).filter((code) => !(code in errorCodes))).toEqual([]);
    expect(rows.length).toBe(documented.size);
  });
});
