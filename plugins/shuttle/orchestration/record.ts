// The stored orchestration: the plan, each subtask's state, and the phase derived from them (KV and orchestration.json).
import { z } from 'zod';

/** Stored subtask states; `waiting`, `ready` and `blocked` are derived views of `pending` (see phase.ts). */
export const SUBTASK_STATES = ['pending', 'offered', 'claimed', 'failed', 'completed'] as const;
export type SubtaskState = (typeof SUBTASK_STATES)[number];

export const VIEW_STATES = ['waiting', 'ready', 'blocked', 'offered', 'claimed', 'failed', 'completed'] as const;
export type ViewState = (typeof VIEW_STATES)[number];

export const PHASES = ['assessment', 'spawning', 'execution', 'collection', 'synthesis', 'complete', 'partially-complete', 'failed'] as const;
export type Phase = (typeof PHASES)[number];

export const OUTCOMES = ['complete', 'partially-complete', 'failed'] as const;

export const RESULT_SOURCES = ['submit_result', 'work-completion'] as const;

export const resultMetaSchema = z.object({
  at: z.string(),
  by: z.string(),
  source: z.enum(RESULT_SOURCES),
  files: z.array(z.string()),
  bytes: z.number().int(),
});
export type ResultMeta = z.infer<typeof resultMetaSchema>;

export const spinUpNoteSchema = z.object({ at: z.string(), outcome: z.string(), detail: z.string().optional(), targetId: z.string().optional() });

export const subtaskRecordSchema = z.object({
  id: z.string(),
  title: z.string(),
  instructions: z.string(),
  capability: z.string(),
  /** "plan", "classifier:<id>" or "default". */
  capabilitySource: z.string(),
  dependsOn: z.array(z.string()),
  /** 1-based topological level. */
  wave: z.number().int().min(1),
  workId: z.string(),
  /** Incremented when a dead-lettered item is retried: a newer round wins any merge. */
  round: z.number().int().min(0),
  state: z.enum(SUBTASK_STATES),
  offeredAt: z.string().optional(),
  claimedAt: z.string().optional(),
  agentId: z.string().optional(),
  attempt: z.number().int().optional(),
  result: resultMetaSchema.optional(),
  /** The work item itself was completed (a worker acked it), whoever delivered the result. */
  workCompleted: z.boolean().optional(),
  error: z.string().optional(),
  failedAt: z.string().optional(),
  /** The last retryable failure, while the item waits for its next attempt. */
  lastError: z.string().optional(),
  spinUp: spinUpNoteSchema.optional(),
});
export type SubtaskRecord = z.infer<typeof subtaskRecordSchema>;

export const CONFLICT_TYPES = ['same-file', 'failed', 'missing'] as const;
export const conflictSchema = z.object({
  type: z.enum(CONFLICT_TYPES),
  subtaskIds: z.array(z.string()),
  file: z.string().optional(),
  detail: z.string(),
});
export type Conflict = z.infer<typeof conflictSchema>;

export const checkpointSchema = z.object({ id: z.string(), at: z.string(), by: z.string(), phase: z.enum(PHASES), note: z.string().optional() });
export type Checkpoint = z.infer<typeof checkpointSchema>;

export const orchestrationSchema = z.object({
  version: z.literal(1),
  id: z.string(),
  projectId: z.string(),
  task: z.string(),
  /** "plan" when the caller gave subtasks, else the decomposer id, or "single" when nothing split the task. */
  decomposer: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  phase: z.enum(PHASES),
  waves: z.array(z.array(z.string())),
  /** In plan order: the order of synthesis. */
  subtasks: z.array(subtaskRecordSchema),
  spawnedAt: z.string().optional(),
  synthesisStartedAt: z.string().optional(),
  synthesizedAt: z.string().optional(),
  synthesis: z.object({ path: z.string(), outcome: z.enum(OUTCOMES), conflicts: z.array(conflictSchema) }).optional(),
  /** The latest checkpoints (all of them are in the checkpoints bucket and checkpoints.jsonl). */
  checkpoints: z.array(checkpointSchema),
  /** W3C trace context of the planning span: offers, results and synthesis of this orchestration continue its trace. */
  traceparent: z.string().optional(),
});
export type Orchestration = z.infer<typeof orchestrationSchema>;

/** Parses a stored value; undefined for anything that is not an orchestration of this version. */
export function parseOrchestration(value: unknown): Orchestration | undefined {
  const parsed = orchestrationSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export function subtaskOf(record: Orchestration, subtaskId: string): SubtaskRecord | undefined {
  return record.subtasks.find((subtask) => subtask.id === subtaskId);
}
