// docs/protocol.md carries the memory layout and the memory record schema exactly as the zod schema generates it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSchema } from '../warp/work-protocol-schemas.js';
import { memoryProtocolSchemas } from './memory-protocol-schemas.js';

describe('docs/protocol.md memory section', () => {
  const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');

  it.each(memoryProtocolSchemas.map((entry) => [entry.title, entry] as const))('embeds the current JSON Schema of the %s', (_title, entry) => {
    expect(doc.includes(`#### ${entry.title}`), `docs/protocol.md needs a "#### ${entry.title}" heading`).toBe(true);
    expect(doc.includes(renderSchema(entry.schema)), `the ${entry.title} schema in docs/protocol.md is stale: regenerate with "npx tsx test/pattern/memory-protocol-schemas.ts --write"`).toBe(true);
  });

  it('names every memory bucket and key form', () => {
    for (const needle of ['pattern-<p>-private', 'pattern-<p>-team', 'pattern-public', 'pattern-personal-<principalHash>', '<agentId>.<category>.<memoryId>', '<category>.<memoryId>', 'expiresAt']) {
      expect(doc, `docs/protocol.md should mention ${needle}`).toContain(needle);
    }
  });
});
