// docs/protocol.md carries the work payload schemas exactly as the zod schemas generate them today.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { workSchemas } from './work-protocol-schemas.js';
import { itEmbedsEverySchema } from '../fixtures/protocol-schema-tests.js';

describe('docs/protocol.md work section', () => {
  const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');

  itEmbedsEverySchema(workSchemas);

  it('names every subject, header and stream of the work layout', () => {
    for (const needle of ['loom.<p>.work.<capability>.<priority>', 'loom.public.work.<capability>.<priority>', 'loom.<p>.dlq.<capability>', 'loom.<p>.events.work.<workId>', 'Nats-Msg-Id', 'LOOM_<P>_WORK', 'LOOM_PUBLIC_WORK', 'LOOM_<P>_DLQ', 'work-<capability>-<priority>', '$JS.API.CONSUMER.MSG.NEXT', '+WPI', '-NAK', '+ACK']) {
      expect(doc, `docs/protocol.md should mention ${needle}`).toContain(needle);
    }
  });
});
