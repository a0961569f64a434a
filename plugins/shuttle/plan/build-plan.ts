// Turns assess_task input into a stored orchestration: subtasks from the caller or a decomposer, validated, with
// capabilities filled and waves assigned.
import { LoomError, type Decomposer, type ProposedSubtask, type Registry } from '../../../core/index.js';
import { newOrchestrationId, workIdFor } from '../ids.js';
import type { Orchestration } from '../orchestration/record.js';
import { assertValidPlan, type PlannedSubtask } from './validate-plan.js';
import { groupIntoWaves } from './waves.js';
import type { CapabilityChoice, CapabilityRequest } from './capabilities.js';

/** A stored orchestration is one KV value (1 MiB max payload); the plan may take this much, progress needs the rest. */
export const MAX_PLAN_BYTES = 600 * 1024;

export interface PlanInput {
  task: string;
  subtasks?: PlannedSubtask[] | undefined;
  decomposer?: string | undefined;
}

export interface PlanContext {
  projectId: string;
  createdBy: string;
  priority: number;
  maxSubtasks: number;
  decomposers: Registry<Decomposer>;
  fillCapability(request: CapabilityRequest): Promise<CapabilityChoice>;
}

function decompose(input: PlanInput, decomposers: Registry<Decomposer>): { subtasks: ProposedSubtask[]; by: string } {
  const ids = input.decomposer ? [input.decomposer] : decomposers.ids();
  // Naming one that is not loaded is an error that lists the loaded ones (Registry.get).
  for (const id of ids) {
    const proposed = decomposers.get(id).decompose(input.task);
    if (proposed.length) return { subtasks: proposed, by: id };
  }
  // Nothing to split: the task is one subtask.
  const firstLine = input.task.trim().split('\n')[0]!.trim();
  return { subtasks: [{ id: 'task', title: firstLine.length > 80 ? `${firstLine.slice(0, 77)}…` : firstLine, instructions: input.task.trim(), dependsOn: [] }], by: 'single' };
}

function titleFrom(subtask: PlannedSubtask): string {
  if (subtask.title?.trim()) return subtask.title.trim();
  const line = subtask.instructions.trim().split('\n')[0]!.trim();
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
}

export async function buildPlan(input: PlanInput, context: PlanContext): Promise<Orchestration> {
  if (input.task.trim() === '') throw new LoomError('LOOM_ERR_INVALID_INPUT', 'task: must not be empty (describe the whole task)', { field: 'task' });
  const { subtasks: planned, by } = input.subtasks ? { subtasks: input.subtasks, by: 'plan' } : decompose(input, context.decomposers);
  if (planned.length > context.maxSubtasks) {
    throw new LoomError('LOOM_ERR_INVALID_INPUT', `subtasks: the plan has ${planned.length} subtasks; at most ${context.maxSubtasks} are allowed (option maxSubtasks)`, { field: 'subtasks' });
  }
  assertValidPlan(planned);
  const id = newOrchestrationId();
  const normalized = planned.map((subtask) => ({ ...subtask, dependsOn: [...new Set(subtask.dependsOn ?? [])] }));
  const { waveOf, waves } = groupIntoWaves(normalized);
  const now = new Date().toISOString();
  const subtasks = await Promise.all(
    normalized.map(async (subtask) => {
      const title = titleFrom(subtask);
      const workId = workIdFor(id, subtask.id);
      const choice = await context.fillCapability({ workId, projectId: context.projectId, title, instructions: subtask.instructions, capability: subtask.capability, priority: context.priority });
      return {
        id: subtask.id,
        title,
        instructions: subtask.instructions.trim(),
        capability: choice.capability,
        capabilitySource: choice.source,
        dependsOn: subtask.dependsOn,
        wave: waveOf.get(subtask.id)!,
        workId,
        round: 0,
        state: 'pending' as const,
      };
    }),
  );
  const record: Orchestration = { version: 1, id, projectId: context.projectId, task: input.task, decomposer: by, createdBy: context.createdBy, createdAt: now, updatedAt: now, phase: 'assessment', waves, subtasks, checkpoints: [] };
  const size = Buffer.byteLength(JSON.stringify(record));
  if (size > MAX_PLAN_BYTES) {
    throw new LoomError('LOOM_ERR_INVALID_INPUT', `subtasks: the plan takes ${size} bytes stored; at most ${MAX_PLAN_BYTES} fit (one KV value, with room for progress): shorten the task or the instructions, or split the work into several orchestrations`, { field: 'subtasks', size });
  }
  return record;
}
