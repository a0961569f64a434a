// Merges two copies of one orchestration (KV and a filesystem copy written while NATS was down): states only move forward.
import { derivePhase } from './phase.js';
import type { Checkpoint, Orchestration, SubtaskRecord, SubtaskState } from './record.js';

const RANK: Record<SubtaskState, number> = { pending: 0, offered: 1, claimed: 2, failed: 3, completed: 4 };
const MAX_CHECKPOINTS = 20;

function newer(a: SubtaskRecord, b: SubtaskRecord): SubtaskRecord {
  if (a.round !== b.round) return a.round > b.round ? a : b;
  return RANK[b.state] > RANK[a.state] ? b : a;
}

export function mergeSubtask(a: SubtaskRecord, b: SubtaskRecord): SubtaskRecord {
  const winner = newer(a, b);
  const loser = winner === a ? b : a;
  // Within one round the older copy may know things the newer lacks (a spin-up note, when it was offered).
  if (winner.round !== loser.round) return { ...winner };
  return { ...loser, ...winner, ...(winner.spinUp || !loser.spinUp ? {} : { spinUp: loser.spinUp }), offeredAt: earliest(a.offeredAt, b.offeredAt) } as SubtaskRecord;
}

function earliest(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a < b ? a : b;
}

function latest(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** `a` is the shared copy; on ties its values win. The plan itself never changes after assessment. */
export function mergeOrchestrations(a: Orchestration, b: Orchestration): Orchestration {
  const others = new Map(b.subtasks.map((subtask) => [subtask.id, subtask]));
  const subtasks = a.subtasks.map((subtask) => {
    const other = others.get(subtask.id);
    return stripUndefined(other ? mergeSubtask(subtask, other) : subtask);
  });
  const checkpoints = new Map<string, Checkpoint>();
  for (const checkpoint of [...a.checkpoints, ...b.checkpoints]) checkpoints.set(checkpoint.id, checkpoint);
  const synthesized = latest(a.synthesizedAt, b.synthesizedAt);
  const merged: Orchestration = stripUndefined({
    ...a,
    subtasks,
    updatedAt: latest(a.updatedAt, b.updatedAt) ?? a.updatedAt,
    spawnedAt: earliest(a.spawnedAt, b.spawnedAt),
    synthesisStartedAt: earliest(a.synthesisStartedAt, b.synthesisStartedAt),
    synthesizedAt: synthesized,
    synthesis: synthesized === a.synthesizedAt ? (a.synthesis ?? b.synthesis) : (b.synthesis ?? a.synthesis),
    checkpoints: [...checkpoints.values()].sort((x, y) => x.at.localeCompare(y.at) || x.id.localeCompare(y.id)).slice(-MAX_CHECKPOINTS),
  });
  merged.phase = derivePhase(merged);
  return merged;
}

export { MAX_CHECKPOINTS };
