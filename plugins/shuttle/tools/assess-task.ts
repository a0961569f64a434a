// assess_task: validates the caller's plan (or has a decomposer split the task), groups it into waves, stores it.
import { z } from 'zod';
import { defineTool, traceparentOf, withSpan } from '../../../core/index.js';
import type { ShuttleRuntime } from '../engine/runtime.js';
import { createCapabilityFiller } from '../plan/capabilities.js';
import { buildPlan } from '../plan/build-plan.js';
import { accessFields, accessOf, phaseSchema } from './schemas.js';

const subtaskInput = z.strictObject({
  id: z.string().min(1).max(200).describe('A lowercase token unique in the plan: 1-64 of a-z, 0-9, "_" or "-"'),
  title: z.string().max(500).optional().describe('A short name; default: the first line of the instructions'),
  instructions: z.string().max(50_000).describe('What the subagent must do, self-contained'),
  capability: z.string().max(200).optional().describe('The work queue (a token) of agents that can do it; default: filled by the classifiers, else the default capability'),
  dependsOn: z.array(z.string().max(200)).max(100).default([]).describe('Ids of subtasks whose results this one needs first'),
});

export function assessTaskTool(runtime: ShuttleRuntime) {
  const fillCapability = createCapabilityFiller({ classifiers: runtime.classifiers, order: runtime.options.classifiers, defaultCapability: runtime.options.defaultCapability, log: runtime.log });
  return defineTool({
    name: 'assess_task',
    title: 'Plan an orchestration',
    description:
      'Step 1 of an orchestration. You are the planner: pass `subtasks` [{id, title, instructions, capability?, dependsOn[]}] — or only `task`, and a decomposer splits it at headings, list items and "then". ' +
      'Shuttle checks the plan (unique token ids, known dependencies, no cycles, non-empty instructions; each error names the subtask), groups it into waves that can run in parallel, fills missing capabilities, and stores it. ' +
      'Returns the orchestrationId for spawn_subagents. Nothing is offered yet.',
    input: z.strictObject({
      task: z.string().max(100_000).describe('The whole task, in your words'),
      subtasks: z.array(subtaskInput).max(500).optional().describe('Your plan; omit to let a decomposer split `task`'),
      decomposer: z.string().max(64).optional().describe('Which decomposer splits `task` when no subtasks are given (default: each loaded one in turn, e.g. "outline")'),
    }),
    output: z.object({
      orchestrationId: z.string(),
      phase: phaseSchema,
      decomposer: z.string().describe('"plan" (your subtasks), a decomposer id, or "single" (nothing to split: one subtask)'),
      waves: z.array(z.array(z.string())).describe('Subtask ids per wave; a wave runs in parallel once the earlier ones it needs have results'),
      subtasks: z.array(z.object({ id: z.string(), title: z.string(), instructions: z.string(), capability: z.string(), capabilitySource: z.string(), dependsOn: z.array(z.string()), wave: z.number().int(), workId: z.string() })),
      workDir: z.string().describe('Where this orchestration\'s files are written'),
      ...accessFields,
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    run: ({ input, ctx }) => withSpan('shuttle.assess_task', { attributes: { 'loom.project_id': runtime.projectId } }, async (span) => {
      const record = await buildPlan(input, {
        projectId: runtime.projectId,
        createdBy: ctx.agentId,
        priority: runtime.options.priority,
        maxSubtasks: runtime.options.maxSubtasks,
        decomposers: runtime.decomposers,
        fillCapability,
      });
      span.setAttribute('loom.orchestration_id', record.id);
      const traceparent = traceparentOf();
      if (traceparent) record.traceparent = traceparent;
      const access = await runtime.store.create(record);
      if (access.degraded) runtime.kick();
      return {
        orchestrationId: record.id,
        phase: record.phase,
        decomposer: record.decomposer,
        waves: record.waves,
        subtasks: record.subtasks.map(({ id, title, instructions, capability, capabilitySource, dependsOn, wave, workId }) => ({ id, title, instructions, capability, capabilitySource, dependsOn, wave, workId })),
        workDir: runtime.files.dir(record.id),
        ...accessOf(access),
      };
    }),
  });
}
