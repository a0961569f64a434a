// docs/weft.md lists every operation as the code defines it (REST route, NATS subject, input fields).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderDoc, WEFT_DOC } from './weft-docs.js';

describe('docs/weft.md', () => {
  it('has the operation table generated from the current schemas (run npx tsx test/weft/weft-docs.ts --write)', () => {
    const current = readFileSync(WEFT_DOC, 'utf8');
    expect(renderDoc(current)).toBe(current);
  });
});
