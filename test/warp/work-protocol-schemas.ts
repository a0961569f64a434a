// The JSON Schemas of the work protocol, generated from the zod schemas the code uses (docs/protocol.md embeds them).
// Rewrite the block in docs/protocol.md with: npx tsx test/warp/work-protocol-schemas.ts --write
import { deadLetterRecordSchema, workCompletionSchema, workEventSchema, workHistorySchema, workMessageSchema } from '../../core/index.js';
import { defineSchemaBlock } from '../fixtures/protocol-schemas.js';

export const workSchemas = defineSchemaBlock('work-schemas', 'test/warp/work-protocol-schemas.ts', [
  { title: 'Work message', where: 'body of a message on `loom.<p>.work.<capability>.<priority>` and `loom.public.work.<capability>.<priority>`', schema: workMessageSchema },
  { title: 'Dead letter', where: 'body of a message on `loom.<p>.dlq.<capability>`; its id is the DLQ stream sequence', schema: deadLetterRecordSchema },
  { title: 'Work event', where: 'body of a message on `loom.<p>.events.work.<workId>`', schema: workEventSchema },
  { title: 'Completion record', where: 'KV `loom-completions-<p>`, key = work id, written with create (only once)', schema: workCompletionSchema },
  { title: 'Error history', where: 'KV `loom-work-history-<p>`, key = work id, updated with compare-and-set', schema: workHistorySchema },
]);

workSchemas.writeIfAsked();
