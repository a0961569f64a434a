// checkpoint_progress: records a checkpoint (with an optional note) and returns the phase and every subtask's state.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { defineTool } from '../../../core/index.js';
import type { ShuttleRuntime } from '../engine/runtime.js';
import { MAX_CHECKPOINTS } from '../orchestration/merge.js';
import { checkpointSchema, type Checkpoint } from '../orchestration/record.js';
import { sharedKeys } from '../store/shared.js';
import { refresh } from './refresh.js';
import { accessFields, accessOf, counts, orchestrationIdInput, phaseSchema, subtaskViewSchema, subtaskViews } from './schemas.js';

export function checkpointProgressTool(runtime: ShuttleRuntime) {
  return defineTool({
    name: 'checkpoint_progress',
    title: 'Checkpoint and show progress',
    description:
      'Records a checkpoint of an orchestration (with your note, e.g. what you decided so far) and returns its phase — assessment, spawning, execution, collection, synthesis, complete, partially-complete or failed — ' +
      'and every subtask\'s state (waiting, ready, blocked, offered, claimed, failed, completed). Checkpoints are kept 7 days. Works from the work directory when NATS is down.',
    input: z.strictObject({
      orchestrationId: orchestrationIdInput,
      note: z.string().max(4000).optional().describe('What to remember at this point'),
    }),
    output: z.object({
      orchestrationId: z.string(),
      phase: phaseSchema,
      counts: z.record(z.string(), z.number().int()).describe('Subtasks per state'),
      subtasks: z.array(subtaskViewSchema),
      checkpoint: checkpointSchema,
      ...accessFields,
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    async run({ input, ctx }) {
      const id = input.orchestrationId;
      await refresh(runtime, id);
      const at = new Date();
      const checkpoint: Checkpoint = { id: `${at.getTime()}-${randomBytes(3).toString('hex')}`, at: at.toISOString(), by: ctx.agentId, phase: 'assessment', ...(input.note ? { note: input.note } : {}) };
      const updated = await runtime.store.update(id, (record) => {
        checkpoint.phase = record.phase;
        record.checkpoints = [...record.checkpoints.filter((c) => c.id !== checkpoint.id), checkpoint].slice(-MAX_CHECKPOINTS);
        return true;
      });
      const { record } = updated;
      checkpoint.phase = record.phase;
      await runtime.files.appendCheckpoint(id, checkpoint);
      if (updated.degraded) runtime.kick();
      else await runtime.store.putShared(sharedKeys.checkpoint(id, checkpoint.id), { ...checkpoint, counts: counts(record), subtasks: subtaskViews(record) });
      return { orchestrationId: id, phase: record.phase, counts: counts(record), subtasks: subtaskViews(record), checkpoint, ...accessOf(updated) };
    },
  });
}
