// The JSON Schema of the memory record, generated from the zod schema pattern uses (docs/protocol.md embeds it).
// Rewrite the block in docs/protocol.md with: npx tsx test/pattern/memory-protocol-schemas.ts --write
import { memoryRecordSchema } from '../../plugins/pattern/record.js';
import { defineSchemaBlock } from '../fixtures/protocol-schemas.js';

export const memorySchemas = defineSchemaBlock('memory-schemas', 'test/pattern/memory-protocol-schemas.ts', [
  { title: 'Memory record', where: 'the value of every key in the memory buckets (`plugins/pattern/record.ts`, `memoryRecordSchema`)', schema: memoryRecordSchema },
]);

memorySchemas.writeIfAsked();
