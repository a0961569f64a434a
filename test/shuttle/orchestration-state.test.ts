// Subtask states, phases, merging two copies, work events and conflicts — the pure rules under the shuttle tools.
import { describe, expect, it } from 'vitest';
import type { WorkEvent } from '../../core/index.js';
import { applyWorkEvent } from '../../plugins/shuttle/orchestration/apply-event.js';
import { mergeOrchestrations } from '../../plugins/shuttle/orchestration/merge.js';
import { derivePhase, finalize, readySubtasks, viewStates } from '../../plugins/shuttle/orchestration/phase.js';
import type { Orchestration, ResultMeta, SubtaskRecord } from '../../plugins/shuttle/orchestration/record.js';
import { resultFromCompletion, type ResultBody } from '../../plugins/shuttle/orchestration/result-body.js';
import { findConflicts } from '../../plugins/shuttle/synthesis/conflicts.js';

const ID = 'o0123456789abcdef';
const meta = (files: string[] = []): ResultMeta => ({ at: '2025-01-01T00:00:00.000Z', by: 'agent', source: 'submit_result', files, bytes: 4 });

function subtask(id: string, dependsOn: string[], wave: number): SubtaskRecord {
  return { id, title: id, instructions: `do ${id}`, capability: 'general', capabilitySource: 'default', dependsOn, wave, workId: `${ID}-${id}`, round: 0, state: 'pending' };
}

function plan(): Orchestration {
  return finalize({
    version: 1,
    id: ID,
    projectId: 'p',
    task: 'the task',
    decomposer: 'plan',
    createdBy: 'me',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    phase: 'assessment',
    waves: [['a', 'b'], ['c', 'd']],
    subtasks: [subtask('a', [], 1), subtask('b', [], 1), subtask('c', ['a', 'b'], 2), subtask('d', ['a', 'b'], 2)],
    checkpoints: [],
  });
}

const event = (type: WorkEvent['type'], id: string, extra: Partial<WorkEvent> = {}): WorkEvent => ({ type, projectId: 'p', workId: `${ID}-${id}`, capability: 'general', at: new Date().toISOString(), ...extra });

describe('orchestration state', () => {
  it('moves through the phases: assessment, spawning, execution, collection', () => {
    const record = plan();
    expect(record.phase).toBe('assessment');
    record.spawnedAt = new Date().toISOString();
    expect(derivePhase(record)).toBe('spawning');
    expect(readySubtasks(record).map((s) => s.id)).toEqual(['a', 'b']);
    applyWorkEvent(record, event('offered', 'a'));
    applyWorkEvent(record, event('offered', 'b'));
    expect(derivePhase(record)).toBe('execution');
    expect(viewStates(record).get('c')).toBe('waiting');
    applyWorkEvent(record, event('completed', 'a'), meta());
    expect(readySubtasks(record)).toEqual([]);
    applyWorkEvent(record, event('completed', 'b'), meta());
    expect(readySubtasks(record).map((s) => s.id)).toEqual(['c', 'd']);
    for (const id of ['c', 'd']) applyWorkEvent(record, event('completed', id), meta());
    expect(derivePhase(record)).toBe('collection');
  });

  it('blocks the dependents of a dead-lettered subtask and ends partially complete', () => {
    const record = plan();
    record.spawnedAt = new Date().toISOString();
    applyWorkEvent(record, event('completed', 'a'), meta());
    const why = { error: 'boom', note: 'failed on attempt 1 and was not retryable' };
    expect(applyWorkEvent(record, event('failed', 'b', why))).toBe(true);
    applyWorkEvent(record, event('dead-lettered', 'b', why));
    expect(record.subtasks[1]).toMatchObject({ state: 'failed', error: 'boom; failed on attempt 1 and was not retryable' });
    expect(viewStates(record).get('c')).toBe('blocked');
    expect(derivePhase(record)).toBe('partially-complete');
    // Put back from the DLQ: in play again, and its dependents wait instead of being blocked.
    applyWorkEvent(record, event('retried', 'b'));
    expect(record.subtasks[1]).toMatchObject({ state: 'offered', round: 1 });
    expect(record.subtasks[1]!.error).toBeUndefined();
    expect(viewStates(record).get('c')).toBe('waiting');
  });

  it('records the same error whichever of failed and dead-lettered comes first (two shuttles share the events consumer)', () => {
    const why = { error: 'compiler exploded', note: 'failed on attempt 1 and was not retryable' };
    const deadFirst = plan();
    applyWorkEvent(deadFirst, event('dead-lettered', 'b', why));
    expect(deadFirst.subtasks[1]).toMatchObject({ state: 'failed', error: 'compiler exploded; failed on attempt 1 and was not retryable' });
    expect(applyWorkEvent(deadFirst, event('failed', 'b', why))).toBe(false);
    const failedFirst = plan();
    applyWorkEvent(failedFirst, event('failed', 'b', why));
    applyWorkEvent(failedFirst, event('dead-lettered', 'b', why));
    expect(failedFirst.subtasks[1]!.error).toBe(deadFirst.subtasks[1]!.error);
  });

  it('applies each event once: repeating one changes nothing', () => {
    const record = plan();
    expect(applyWorkEvent(record, event('claimed', 'a', { agentId: 'w1', attempt: 1 }))).toBe(true);
    expect(applyWorkEvent(record, event('claimed', 'a', { agentId: 'w1', attempt: 1 }))).toBe(false);
    expect(applyWorkEvent(record, event('offered', 'a'))).toBe(false);
    expect(record.subtasks[0]).toMatchObject({ state: 'claimed', agentId: 'w1' });
  });

  it('merges a copy written while NATS was down into the shared copy without losing progress on either side', () => {
    const shared = plan();
    shared.spawnedAt = '2025-01-01T00:00:01.000Z';
    applyWorkEvent(shared, event('completed', 'a'), meta(['x.ts']));
    const local = structuredClone(shared);
    applyWorkEvent(shared, event('claimed', 'b', { agentId: 'w2' }));
    applyWorkEvent(local, event('completed', 'b'), meta());
    local.checkpoints.push({ id: '1', at: '2025-01-01T00:00:02.000Z', by: 'me', phase: 'execution', note: 'offline note' });
    const merged = mergeOrchestrations(shared, local);
    expect(merged.subtasks.map((s) => s.state)).toEqual(['completed', 'completed', 'pending', 'pending']);
    expect(merged.subtasks[0]!.result?.files).toEqual(['x.ts']);
    expect(merged.checkpoints.map((c) => c.note)).toEqual(['offline note']);
    expect(mergeOrchestrations(local, shared).subtasks.map((s) => s.state)).toEqual(merged.subtasks.map((s) => s.state));
  });

  it('reports files claimed by two subtasks, failed subtasks and missing results as conflicts', () => {
    const record = plan();
    record.spawnedAt = new Date().toISOString();
    const body = (id: string, files: string[]): ResultBody => ({ orchestrationId: ID, subtaskId: id, result: id, files, by: 'w', at: 'now', source: 'submit_result' });
    applyWorkEvent(record, event('completed', 'a'), meta());
    applyWorkEvent(record, event('completed', 'b'), meta());
    applyWorkEvent(record, event('completed', 'c'), meta());
    const results = new Map([['a', body('a', ['src/shared.ts', 'a.ts'])], ['b', body('b', ['src/shared.ts'])], ['c', body('c', ['c.ts'])]]);
    const conflicts = findConflicts(record, results);
    expect(conflicts).toEqual([
      expect.objectContaining({ type: 'same-file', file: 'src/shared.ts', subtaskIds: ['a', 'b'] }),
      expect.objectContaining({ type: 'missing', subtaskIds: ['d'] }),
    ]);
  });

  it('reads a worker completion as text, or as {result, files} JSON', () => {
    expect(resultFromCompletion('plain output\n')).toEqual({ result: 'plain output\n', files: [] });
    expect(resultFromCompletion('{"result":"did it","files":["./src/a.ts","src//a.ts","b.ts"]}')).toEqual({ result: 'did it', files: ['src/a.ts', 'b.ts'] });
    expect(resultFromCompletion({ answer: 42 })).toEqual({ result: '{\n  "answer": 42\n}', files: [] });
    expect(resultFromCompletion('{not json')).toEqual({ result: '{not json', files: [] });
  });
});
