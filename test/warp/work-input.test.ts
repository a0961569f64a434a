// Every work and dead-letter tool rejects bad input with an error naming the field, and publishes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpSession } from '../../core/testing/mcp-client.js';
import { agentHex, errorText, register, startWorkFabric, type WorkFabric } from './work-harness.js';

let fabric: WorkFabric;
let warp: McpSession;
const P = 'work-input';
const UP = P.toUpperCase();

beforeAll(async () => {
  fabric = await startWorkFabric();
  warp = await fabric.warp(P, agentHex('a'));
  await register(warp, ['build']);
});

afterAll(async () => {
  await fabric?.stop();
});

const valid = { taskId: 'task-1', description: 'compile it', requiredCapability: 'build' };
const big = (bytes: number) => 'x'.repeat(bytes);

const cases: Array<[tool: string, args: Record<string, unknown>, field: string]> = [
  ['broadcast_work_offer', { description: 'x', requiredCapability: 'build' }, 'taskId'],
  ['broadcast_work_offer', { ...valid, requiredCapability: undefined }, 'requiredCapability'],
  ['broadcast_work_offer', { ...valid, requiredCapability: 'a.b' }, 'requiredCapability'],
  ['broadcast_work_offer', { ...valid, requiredCapability: 'any*' }, 'requiredCapability'],
  ['broadcast_work_offer', { ...valid, requiredCapability: 'all>' }, 'requiredCapability'],
  ['broadcast_work_offer', { ...valid, requiredCapability: 'two words' }, 'requiredCapability'],
  ['broadcast_work_offer', { ...valid, taskId: 'task.1' }, 'taskId'],
  ['broadcast_work_offer', { ...valid, workId: 'w>1' }, 'workId'],
  ['broadcast_work_offer', { ...valid, priority: 11 }, 'priority'],
  ['broadcast_work_offer', { ...valid, priority: 'high' }, 'priority'],
  ['broadcast_work_offer', { ...valid, priority: 2.5 }, 'priority'],
  ['broadcast_work_offer', { ...valid, description: '' }, 'description'],
  ['broadcast_work_offer', { ...valid, description: big(1_100_000) }, 'description'],
  ['broadcast_work_offer', { ...valid, contextData: { blob: big(1_100_000) } }, 'contextData'],
  ['broadcast_work_offer', { ...valid, contextData: 'not an object' }, 'contextData'],
  ['broadcast_work_offer', { ...valid, deadline: 'tomorrow' }, 'deadline'],
  ['broadcast_work_offer', { ...valid, scope: 'private' }, 'scope'],
  ['broadcast_work_offer', { ...valid, unexpected: true }, 'unexpected'],
  ['claim_work', {}, 'capability'],
  ['claim_work', { capability: 'a.b' }, 'capability'],
  ['claim_work', { capability: 'build', timeout: -1 }, 'timeout'],
  ['claim_work', { capability: 'build', timeout: 'soon' }, 'timeout'],
  ['claim_work', { capability: 'build', includePublic: 'yes' }, 'includePublic'],
  ['complete_work', { result: 'x' }, 'workId'],
  ['complete_work', { workId: 'w*', result: 'x' }, 'workId'],
  ['complete_work', { workId: 'w-1' }, 'result'],
  ['complete_work', { workId: 'w-1', result: big(1_100_000) }, 'result'],
  ['fail_work', { workId: 'w-1' }, 'error'],
  ['fail_work', { workId: 'w 1', error: 'e' }, 'workId'],
  ['fail_work', { workId: 'w-1', error: 'e', retryable: 'yes' }, 'retryable'],
  ['fail_work', { workId: 'w-1', error: big(20_000) }, 'error'],
  ['list_dead_letter_items', { limit: 0 }, 'limit'],
  ['list_dead_letter_items', { limit: 101 }, 'limit'],
  ['list_dead_letter_items', { cursor: 'abc' }, 'cursor'],
  ['list_dead_letter_items', { capability: 'A B' }, 'capability'],
  ['retry_dead_letter_item', {}, 'id'],
  ['retry_dead_letter_item', { id: 'x.1' }, 'id'],
  ['retry_dead_letter_item', { id: '1', resetAttempts: 'no' }, 'resetAttempts'],
  ['discard_dead_letter_item', { id: '0' }, 'id'],
  ['discard_dead_letter_item', { id: 7 }, 'id'],
];

describe('work and dead-letter tools reject bad input', () => {
  it.each(cases)('%s rejects %j naming %s', async (tool, args, field) => {
    const text = await errorText(warp, tool, args);
    expect(text).toMatch(/^LOOM_ERR_INVALID_INPUT: /);
    expect(text).toContain(field);
  });

  it('published nothing while rejecting, and the server stayed up', async () => {
    expect(await fabric.count(`LOOM_${UP}_WORK`)).toBe(0);
    expect(await fabric.count(`LOOM_${UP}_DLQ`)).toBe(0);
    expect(await fabric.count(`LOOM_${UP}_EVENTS`)).toBe(0);
    expect(await fabric.count('LOOM_PUBLIC_WORK')).toBe(0);
    const ok = await warp.call<{ duplicate: boolean }>('broadcast_work_offer', { ...valid, workId: 'after-1' });
    expect(ok.duplicate).toBe(false);
    expect(await fabric.count(`LOOM_${UP}_WORK`)).toBe(1);
  });
});
