// docs/protocol.md carries the shuttle layout, the contextData of its work items, and its record schemas as generated.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSchema } from '../warp/work-protocol-schemas.js';
import { shuttleProtocolSchemas } from './shuttle-protocol-schemas.js';

describe('docs/protocol.md shuttle section', () => {
  const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');

  it.each(shuttleProtocolSchemas.map((entry) => [entry.title, entry] as const))('embeds the current JSON Schema of the %s', (_title, entry) => {
    expect(doc.includes(`#### ${entry.title}`), `docs/protocol.md needs a "#### ${entry.title}" heading`).toBe(true);
    expect(doc.includes(renderSchema(entry.schema)), `the ${entry.title} schema in docs/protocol.md is stale: regenerate with "npx tsx test/shuttle/shuttle-protocol-schemas.ts --write"`).toBe(true);
  });

  it('names every shuttle bucket, key form and contextData field', () => {
    const keys = ['shuttle-<p>-orchestrations', 'shuttle-<p>-checkpoints', '<orchestrationId>.result.<subtaskId>', '<orchestrationId>.checkpoint.<checkpointId>', '<orchestrationId>.synthesis', '<orchestrationId>-<subtaskId>'];
    const contextData = ['orchestrationId', 'subtaskId', 'title', 'wave', 'dependsOn', 'contextPath', 'context'].map((field) => `| \`${field}\` |`);
    for (const needle of [...keys, ...contextData]) expect(doc, `docs/protocol.md should mention ${needle}`).toContain(needle);
  });
});
