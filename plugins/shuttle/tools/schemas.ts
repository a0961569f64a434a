// Input and output pieces shared by the shuttle tools, and the per-subtask view they all return.
import { z } from 'zod';
import { orchestrationIdSchema } from '../ids.js';
import { countStates, viewStates } from '../orchestration/phase.js';
import { PHASES, VIEW_STATES, spinUpNoteSchema, type Orchestration } from '../orchestration/record.js';
import type { Access } from '../store/store.js';

export const orchestrationIdInput = orchestrationIdSchema.describe('The orchestration id assess_task returned');

export const accessFields = {
  degraded: z.boolean().describe('True when NATS is unavailable and this answer comes from the work directory only'),
  degradedReason: z.string().optional().describe('Why NATS could not be used'),
};

export const phaseSchema = z.enum(PHASES);

export const subtaskViewSchema = z.object({
  id: z.string(),
  title: z.string(),
  wave: z.number().int(),
  capability: z.string(),
  dependsOn: z.array(z.string()),
  state: z.enum(VIEW_STATES).describe('waiting (for dependencies), ready (to be offered), blocked (a dependency failed), offered, claimed, failed, completed'),
  workId: z.string(),
  agentId: z.string().optional(),
  attempt: z.number().int().optional(),
  hasResult: z.boolean(),
  files: z.array(z.string()).optional(),
  error: z.string().optional(),
  lastError: z.string().optional(),
  spinUp: spinUpNoteSchema.optional(),
});
export type SubtaskView = z.infer<typeof subtaskViewSchema>;

export function subtaskViews(record: Orchestration): SubtaskView[] {
  const views = viewStates(record);
  return record.subtasks.map((subtask) => ({
    id: subtask.id,
    title: subtask.title,
    wave: subtask.wave,
    capability: subtask.capability,
    dependsOn: subtask.dependsOn,
    state: views.get(subtask.id)!,
    workId: subtask.workId,
    ...(subtask.agentId ? { agentId: subtask.agentId } : {}),
    ...(subtask.attempt !== undefined ? { attempt: subtask.attempt } : {}),
    hasResult: subtask.result !== undefined,
    ...(subtask.result?.files.length ? { files: subtask.result.files } : {}),
    ...(subtask.error ? { error: subtask.error } : {}),
    ...(subtask.lastError ? { lastError: subtask.lastError } : {}),
    ...(subtask.spinUp ? { spinUp: subtask.spinUp } : {}),
  }));
}

export function counts(record: Orchestration): Record<string, number> {
  return countStates(viewStates(record));
}

export function accessOf(access: Access): { degraded: boolean; degradedReason?: string } {
  return access.degraded ? { degraded: true, degradedReason: access.degradedReason ?? 'NATS is unavailable' } : { degraded: false };
}

/** Joins several answers: degraded if any part was. */
export function worst(...accesses: Access[]): Access {
  return accesses.find((access) => access.degraded) ?? { degraded: false };
}
