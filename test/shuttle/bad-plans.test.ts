// Bad plans through a real `loom shuttle`: refused with errors that name the subtask, and nothing is stored.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpSession } from '../../core/testing/mcp-client.js';
import { errorText, hex, startShuttleFabric, type ShuttleFabric } from './harness.js';

let fabric: ShuttleFabric;
let shuttle: McpSession;
let workDir: string;

beforeAll(async () => {
  fabric = await startShuttleFabric('shuttle-bad-plans');
  workDir = fabric.workDir();
  shuttle = await fabric.shuttle(hex('f'), workDir);
});

afterAll(async () => {
  await fabric?.stop();
});

const refuse = (subtasks: unknown[], task = 'A task') => errorText(shuttle, 'assess_task', { task, subtasks });

describe('assess_task refuses bad plans', () => {
  it('names the subtasks of a cycle', async () => {
    const text = await refuse([
      { id: 'a', instructions: 'x', dependsOn: ['b'] },
      { id: 'b', instructions: 'y', dependsOn: ['a'] },
    ]);
    expect(text).toMatch(/^LOOM_ERR_INVALID_INPUT: the plan is not valid \(1 problem\): subtasks "a" → "b" → "a" depend on each other in a cycle/);
  });

  it('names the subtask with an unknown dependency, and the dependency', async () => {
    expect(await refuse([{ id: 'a', instructions: 'x' }, { id: 'b', instructions: 'y', dependsOn: ['zzz'] }])).toMatch(/^LOOM_ERR_INVALID_INPUT: .*subtask "b" \(subtasks\[1\]\): dependsOn names "zzz", which is not a subtask of this plan/);
  });

  it('names a duplicate id', async () => {
    expect(await refuse([{ id: 'same', instructions: 'x' }, { id: 'same', instructions: 'y' }])).toMatch(/subtask "same" \(subtasks\[1\]\): id is already used by subtasks\[0\]/);
  });

  it('names a subtask with empty instructions, and refuses an empty task', async () => {
    expect(await refuse([{ id: 'a', instructions: 'x' }, { id: 'hollow', instructions: '  ' }])).toMatch(/subtask "hollow" \(subtasks\[1\]\): instructions must not be empty/);
    expect(await errorText(shuttle, 'assess_task', { task: ' ' })).toMatch(/^LOOM_ERR_INVALID_INPUT: task: must not be empty/);
  });

  it('refuses names that are not tokens with LOOM_ERR_INVALID_NAME, naming the subtask', async () => {
    expect(await refuse([{ id: 'Build.API', instructions: 'x' }])).toMatch(/^LOOM_ERR_INVALID_NAME: .*subtask "Build\.API" \(subtasks\[0\]\): id must be a lowercase token/);
    expect(await refuse([{ id: 'ok', instructions: 'x', capability: 'ops.>' }])).toMatch(/^LOOM_ERR_INVALID_NAME: .*subtask "ok" \(subtasks\[0\]\): capability "ops\.>" must be a lowercase token/);
    expect(await refuse([{ id: 'ok', instructions: 'x' }, { id: 'two', instructions: 'y', dependsOn: ['o k'] }])).toMatch(/subtask "two" \(subtasks\[1\]\): dependsOn\[0\] "o k" must be a lowercase token/);
  });

  it('refuses unknown ids on the other tools and a malformed orchestration id, naming the field', async () => {
    expect(await errorText(shuttle, 'spawn_subagents', { orchestrationId: 'o0000000000000000' })).toMatch(/^LOOM_ERR_NOT_FOUND: orchestration o0000000000000000 does not exist/);
    expect(await errorText(shuttle, 'get_results', { orchestrationId: 'loom.*' })).toMatch(/^LOOM_ERR_INVALID_INPUT: get_results: orchestrationId/);
    const plan = await shuttle.call<{ orchestrationId: string }>('assess_task', { task: 'One thing', subtasks: [{ id: 'only', instructions: 'do it' }] });
    expect(await errorText(shuttle, 'submit_result', { orchestrationId: plan.orchestrationId, subtaskId: 'ghost', result: 'r' })).toMatch(/^LOOM_ERR_NOT_FOUND: subtask "ghost" is not part of orchestration .*; its subtasks: only/);
    expect(await errorText(shuttle, 'submit_result', { orchestrationId: plan.orchestrationId, subtaskId: 'a.b', result: 'r' })).toMatch(/^LOOM_ERR_INVALID_NAME: subtaskId "a\.b"/);
  });

  it('stored nothing for the refused plans', async () => {
    const listed = await shuttle.call<{ orchestrations: Array<{ task: string }> }>('list_orchestrations', {});
    expect(listed.orchestrations.map((o) => o.task)).toEqual(['One thing']);
    expect(readdirSync(workDir)).toHaveLength(1);
  });
});

describe('assess_task without subtasks', () => {
  it('has decomposer:outline split the task and fills capabilities with the default', async () => {
    const plan = await shuttle.call<{ decomposer: string; waves: string[][]; subtasks: Array<{ id: string; capability: string; capabilitySource: string; dependsOn: string[] }> }>('assess_task', {
      task: '1. Write the migration\n2. Update the models\n3. Then run the test suite',
    });
    expect(plan.decomposer).toBe('outline');
    expect(plan.waves).toEqual([['write-the-migration', 'update-the-models'], ['run-the-test-suite']]);
    expect(plan.subtasks.map((s) => [s.capability, s.capabilitySource])).toEqual([['general', 'default'], ['general', 'default'], ['general', 'default']]);
    const single = await shuttle.call<{ decomposer: string; subtasks: Array<{ id: string }> }>('assess_task', { task: 'Fix the flaky login test' });
    expect(single).toMatchObject({ decomposer: 'single', subtasks: [{ id: 'task' }] });
    expect(await errorText(shuttle, 'assess_task', { task: 'x', decomposer: 'nope' })).toMatch(/^LOOM_ERR_UNKNOWN_ID: unknown decomposer "nope"; known: outline/);
  });
});
