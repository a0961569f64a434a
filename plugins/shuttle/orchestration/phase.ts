// Derived views: each subtask's view state (waiting / ready / blocked for pending ones), counts, and the phase.
import type { Orchestration, Phase, SubtaskRecord, ViewState } from './record.js';

/** View state of every subtask, by id. A pending subtask is blocked when a dependency failed or is blocked. */
export function viewStates(record: Orchestration): Map<string, ViewState> {
  const byId = new Map(record.subtasks.map((subtask) => [subtask.id, subtask]));
  const views = new Map<string, ViewState>();
  const view = (subtask: SubtaskRecord): ViewState => {
    const known = views.get(subtask.id);
    if (known) return known;
    let state: ViewState;
    if (subtask.state !== 'pending') state = subtask.state;
    else {
      // Plans are acyclic (validated at assessment), so this recursion ends.
      const deps = subtask.dependsOn.map((id) => byId.get(id)).filter((dep) => dep !== undefined).map(view);
      if (deps.some((dep) => dep === 'failed' || dep === 'blocked')) state = 'blocked';
      else state = deps.every((dep) => dep === 'completed') ? 'ready' : 'waiting';
    }
    views.set(subtask.id, state);
    return state;
  };
  for (const subtask of record.subtasks) view(subtask);
  return views;
}

const SETTLED: ReadonlySet<ViewState> = new Set(['completed', 'failed', 'blocked']);

export function countStates(views: Map<string, ViewState>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const state of views.values()) counts[state] = (counts[state] ?? 0) + 1;
  return counts;
}

/** What synthesis would record now: every subtask done → complete; some → partially-complete; none → failed. */
export function outcomeOf(record: Orchestration): 'complete' | 'partially-complete' | 'failed' {
  const done = record.subtasks.filter((subtask) => subtask.state === 'completed').length;
  if (done === record.subtasks.length) return 'complete';
  return done === 0 ? 'failed' : 'partially-complete';
}

export function isSettled(record: Orchestration): boolean {
  return [...viewStates(record).values()].every((state) => SETTLED.has(state));
}

export function derivePhase(record: Orchestration): Phase {
  if (record.synthesizedAt && record.synthesis) return record.synthesis.outcome;
  if (record.synthesisStartedAt) return 'synthesis';
  if (!record.spawnedAt) return 'assessment';
  const views = viewStates(record);
  if ([...views.values()].every((state) => SETTLED.has(state))) {
    const outcome = outcomeOf(record);
    return outcome === 'complete' ? 'collection' : outcome;
  }
  // Spawning lasts until every subtask without dependencies is out (it can last while NATS is unavailable).
  const rootsOut = record.subtasks.every((subtask) => subtask.dependsOn.length > 0 || subtask.state !== 'pending');
  return rootsOut ? 'execution' : 'spawning';
}

/** Subtasks whose dependencies all have results and that were not offered yet. */
export function readySubtasks(record: Orchestration): SubtaskRecord[] {
  const views = viewStates(record);
  return record.subtasks.filter((subtask) => views.get(subtask.id) === 'ready');
}

/** Sets the derived phase and the update time; every write goes through this. */
export function finalize(record: Orchestration, now = new Date()): Orchestration {
  record.updatedAt = now.toISOString();
  record.phase = derivePhase(record);
  return record;
}
