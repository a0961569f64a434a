// docs/protocol.md carries the memory layout and the memory record schema exactly as the zod schema generates it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memorySchemas } from './memory-protocol-schemas.js';
import { itEmbedsEverySchema } from '../fixtures/protocol-schema-tests.js';

describe('docs/protocol.md memory section', () => {
  const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');

  itEmbedsEverySchema(memorySchemas);

  it('names every memory bucket and key form', () => {
    for (const needle of ['pattern-<p>-private', 'pattern-<p>-team', 'pattern-public', 'pattern-personal-<principalHash>', '<agentId>.<category>.<memoryId>', '<category>.<memoryId>', 'expiresAt']) {
      expect(doc, `docs/protocol.md should mention ${needle}`).toContain(needle);
    }
  });
});
