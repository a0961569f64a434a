// spawn_subagents: writes every subtask's context.md, stores the orchestration, and offers the first wave as work items.
import { z } from 'zod';
import { defineTool, LoomError } from '../../../core/index.js';
import type { ShuttleRuntime } from '../engine/runtime.js';
import { renderContext } from '../engine/context-doc.js';
import { accessFields, accessOf, orchestrationIdInput, phaseSchema, subtaskViewSchema, subtaskViews, worst } from './schemas.js';

export function spawnSubagentsTool(runtime: ShuttleRuntime) {
  return defineTool({
    name: 'spawn_subagents',
    title: 'Start an orchestration',
    description:
      'Step 2. Creates <SHUTTLE_WORK_DIR>/<orchestrationId>/<subtaskId>/context.md for every subtask and offers the first wave as work items on the warp queues of their capabilities; ' +
      'each later subtask is offered as soon as all its dependencies have results. If no online agent has a capability and weft runs, weft is asked to spin one up. ' +
      'Safe to call again (nothing is offered twice). With NATS down it still writes the files and says degraded: the offers go out when NATS is back.',
    input: z.strictObject({ orchestrationId: orchestrationIdInput }),
    output: z.object({
      orchestrationId: z.string(),
      phase: phaseSchema,
      workDir: z.string(),
      contextFiles: z.array(z.string()),
      offered: z.array(z.string()).describe('Subtasks that went out as work items during this call'),
      pendingOffers: z.array(z.string()).describe('Subtasks ready to be offered but waiting for NATS'),
      subtasks: z.array(subtaskViewSchema),
      ...accessFields,
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async run({ input }) {
      const id = input.orchestrationId;
      const { record: current } = await runtime.store.read(id);
      if (current.synthesisStartedAt) throw new LoomError('LOOM_ERR_CONFLICT', `orchestration ${id} is already ${current.phase}; assess a new task to start again`, { orchestrationId: id });
      const contextFiles: string[] = [];
      // Later subtasks get their context.md now too (without results); it is rewritten with them when they are offered.
      for (const subtask of current.subtasks) {
        if (subtask.state === 'pending') contextFiles.push(await runtime.files.writeContext(id, subtask.id, renderContext(current, subtask, [])));
        else contextFiles.push(runtime.files.contextPath(id, subtask.id));
      }
      const at = new Date().toISOString();
      const spawned = await runtime.store.update(id, (record) => {
        if (record.spawnedAt) return false;
        record.spawnedAt = at;
        return true;
      });
      const { pending } = await runtime.advance(id);
      const after = await runtime.store.read(id);
      if (pending.length || after.degraded) runtime.kick();
      // Whoever offered them (this call, or the background loop racing it), these went out since the call began.
      const before = new Set(current.subtasks.filter((subtask) => subtask.state !== 'pending').map((subtask) => subtask.id));
      const offered = after.record.subtasks.filter((subtask) => subtask.state !== 'pending' && !before.has(subtask.id)).map((subtask) => subtask.id);
      const views = subtaskViews(after.record);
      return {
        orchestrationId: id,
        phase: after.record.phase,
        workDir: runtime.files.dir(id),
        contextFiles,
        offered,
        pendingOffers: views.filter((view) => view.state === 'ready').map((view) => view.id),
        subtasks: views,
        ...accessOf(worst(spawned, after)),
      };
    },
  });
}
