// docs/protocol.md carries the shuttle layout, the contextData of its work items, and its record schemas as generated.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { shuttleSchemas } from './shuttle-protocol-schemas.js';
import { itEmbedsEverySchema } from '../fixtures/protocol-schema-tests.js';

describe('docs/protocol.md shuttle section', () => {
  const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');

  itEmbedsEverySchema(shuttleSchemas);

  it('names every shuttle bucket, key form and contextData field', () => {
    const keys = ['shuttle-<p>-orchestrations', 'shuttle-<p>-checkpoints', '<orchestrationId>.result.<subtaskId>', '<orchestrationId>.checkpoint.<checkpointId>', '<orchestrationId>.synthesis', '<orchestrationId>-<subtaskId>'];
    const contextData = ['orchestrationId', 'subtaskId', 'title', 'wave', 'dependsOn', 'contextPath', 'context'].map((field) => `| \`${field}\` |`);
    for (const needle of [...keys, ...contextData]) expect(doc, `docs/protocol.md should mention ${needle}`).toContain(needle);
  });
});
