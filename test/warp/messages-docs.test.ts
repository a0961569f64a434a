// The generated parts of docs/warp.md (tool table) and docs/protocol.md (JSON Schemas) match the code's zod schemas.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_DOC, WARP_DOC, renderDocs } from './messaging-docs.js';

describe('messaging docs', () => {
  it('the warp tool table and the messaging JSON Schemas are generated from the current schemas', async () => {
    const docs = await renderDocs();
    const hint = 'run `npx tsx test/warp/messaging-docs.ts --write`';
    expect(readFileSync(WARP_DOC, 'utf8'), hint).toBe(docs.warp);
    expect(readFileSync(PROTOCOL_DOC, 'utf8'), hint).toBe(docs.protocol);
    for (const tool of ['set_handle', 'read_messages', 'register_agent', 'send_direct_message', 'read_direct_messages']) expect(docs.warp).toContain(`\`${tool}\``);
  });
});
