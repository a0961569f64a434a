// Plan validation, waves and cycles: every problem is refused with an error that names the subtask.
import { describe, expect, it } from 'vitest';
import { isLoomError, LoomError } from '../../core/index.js';
import { assertValidPlan, planIssues, type PlannedSubtask } from '../../plugins/shuttle/plan/validate-plan.js';
import { groupIntoWaves } from '../../plugins/shuttle/plan/waves.js';
import { findCycles } from '../../plugins/shuttle/plan/cycles.js';
import { orchestrationOfWork, workIdFor, newOrchestrationId } from '../../plugins/shuttle/ids.js';
import { TOKEN_PATTERN } from '../../core/isolation/tokens.js';

const step = (id: string, dependsOn: string[] = [], extra: Partial<PlannedSubtask> = {}): PlannedSubtask => ({ id, instructions: `do ${id}`, dependsOn, ...extra });

function errorOf(plan: PlannedSubtask[]): LoomError {
  try {
    assertValidPlan(plan);
  } catch (err) {
    if (isLoomError(err)) return err;
    throw err;
  }
  throw new Error('the plan was accepted but should have been refused');
}

describe('plan validation', () => {
  it('accepts a diamond plan and groups it into topological waves in plan order', () => {
    const plan = [step('a'), step('b'), step('c', ['a', 'b']), step('d', ['a', 'b']), step('e', ['c'])];
    expect(planIssues(plan)).toEqual([]);
    const { waves, waveOf } = groupIntoWaves(plan.map((s) => ({ id: s.id, dependsOn: s.dependsOn ?? [] })));
    expect(waves).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(waveOf.get('e')).toBe(3);
  });

  it('puts a subtask one wave after its latest dependency, not its first', () => {
    const { waves } = groupIntoWaves([{ id: 'x', dependsOn: ['z'] }, { id: 'y', dependsOn: [] }, { id: 'z', dependsOn: ['y'] }]);
    expect(waves).toEqual([['y'], ['z'], ['x']]);
  });

  it('refuses a cycle with an error that names every subtask in it', () => {
    const err = errorOf([step('a', ['c']), step('b', ['a']), step('c', ['b']), step('d')]);
    expect(err.code).toBe('LOOM_ERR_INVALID_INPUT');
    expect(err.message).toMatch(/"a" → "c" → "b" → "a"|"a" → "b" → "c" → "a"/);
    expect(err.message).toMatch(/cycle/);
    expect(err.message).not.toMatch(/"d"/);
  });

  it('refuses a subtask that depends on itself, naming it', () => {
    expect(errorOf([step('a', ['a'])]).message).toMatch(/subtask "a" \(subtasks\[0\]\): depends on itself/);
  });

  it('refuses an unknown dependency, naming the subtask and the missing id', () => {
    const err = errorOf([step('a'), step('b', ['a', 'ghost'])]);
    expect(err.code).toBe('LOOM_ERR_INVALID_INPUT');
    expect(err.message).toMatch(/subtask "b" \(subtasks\[1\]\): dependsOn names "ghost", which is not a subtask of this plan \(known: a, b\)/);
  });

  it('refuses duplicate ids, naming both positions', () => {
    const err = errorOf([step('a'), step('b'), step('a')]);
    expect(err.message).toMatch(/subtask "a" \(subtasks\[2\]\): id is already used by subtasks\[0\]/);
  });

  it('refuses empty instructions, naming the subtask', () => {
    const err = errorOf([step('a'), step('b', [], { instructions: '   \n ' })]);
    expect(err.message).toMatch(/subtask "b" \(subtasks\[1\]\): instructions must not be empty/);
  });

  it('refuses names that are not tokens with LOOM_ERR_INVALID_NAME, naming the subtask and the field', () => {
    const id = errorOf([step('Build API')]);
    expect(id.code).toBe('LOOM_ERR_INVALID_NAME');
    expect(id.message).toMatch(/subtask "Build API" \(subtasks\[0\]\): id must be a lowercase token/);
    expect(errorOf([step('a', [], { capability: 'a.b' })]).message).toMatch(/subtask "a" \(subtasks\[0\]\): capability "a\.b" must be a lowercase token/);
    expect(errorOf([step('a'), step('b', ['a>'])]).message).toMatch(/subtask "b" \(subtasks\[1\]\): dependsOn\[0\] "a>" must be a lowercase token/);
  });

  it('lists every problem at once and refuses an empty plan', () => {
    const err = errorOf([step('x y'), step('b', ['nope'], { instructions: '' })]);
    expect(err.message).toMatch(/\(3 problems\)/);
    const issues = err.details?.issues as string[];
    expect(issues.some((issue) => issue.startsWith('subtask "x y"'))).toBe(true);
    expect(issues.filter((issue) => issue.startsWith('subtask "b"'))).toHaveLength(2);
    expect(errorOf([]).message).toMatch(/at least one subtask/);
  });

  it('finds each cycle once', () => {
    const edges = new Map([['a', ['b']], ['b', ['a']], ['c', ['c']]]);
    expect(findCycles(edges)).toHaveLength(2);
  });
});

describe('work ids', () => {
  it('derives a token work id from orchestration and subtask, and maps it back to the orchestration', () => {
    const id = newOrchestrationId();
    for (const subtask of ['a', 'x'.repeat(64), 'build-the-api-and-also-write-the-documentation-for-it-now']) {
      const workId = workIdFor(id, subtask);
      expect(workId).toMatch(TOKEN_PATTERN);
      expect(workIdFor(id, subtask)).toBe(workId);
      expect(orchestrationOfWork(workId)).toBe(id);
    }
    expect(workIdFor(id, 'x'.repeat(64))).not.toBe(workIdFor(id, `${'x'.repeat(63)}y`));
    expect(orchestrationOfWork('some-other-work')).toBeUndefined();
  });
});
