// The JSON Schemas of shuttle's stored records, generated from the zod schemas shuttle uses (docs/protocol.md embeds them).
// Rewrite the block in docs/protocol.md with: npx tsx test/shuttle/shuttle-protocol-schemas.ts --write
import { orchestrationSchema } from '../../plugins/shuttle/orchestration/record.js';
import { resultBodySchema } from '../../plugins/shuttle/orchestration/result-body.js';
import { defineSchemaBlock } from '../fixtures/protocol-schemas.js';

export const shuttleSchemas = defineSchemaBlock('shuttle-schemas', 'test/shuttle/shuttle-protocol-schemas.ts', [
  { title: 'Orchestration record', where: 'KV `shuttle-<p>-orchestrations`, key = orchestration id, updated with compare-and-set; also `orchestration.json` in the work directory (`plugins/shuttle/orchestration/record.ts`, `orchestrationSchema`)', schema: orchestrationSchema },
  { title: 'Subtask result', where: 'KV `shuttle-<p>-checkpoints`, key `<orchestrationId>.result.<subtaskId>`, written with create (the first result stands); also `result.json` (`plugins/shuttle/orchestration/result-body.ts`, `resultBodySchema`)', schema: resultBodySchema },
]);

shuttleSchemas.writeIfAsked();
