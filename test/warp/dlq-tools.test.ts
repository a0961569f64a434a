// The dead-letter queue through the tools: filled after maxDeliver failures with the error history, retried, discarded, paged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpSession } from '../../core/testing/mcp-client.js';
import { agentHex, errorText, register, startWorkFabric, type WorkFabric } from './work-harness.js';

interface DeadLetters {
  items: Array<{ deadLetterId: string; workId: string; capability: string; attempt: number; reason: string; errors: Array<{ error: string; attempt: number; agentId: string }> }>;
  nextCursor?: string;
}
interface Claim {
  claimed: boolean;
  work: { workId: string; attempt: number; errors: unknown[] } | null;
}

let fabric: WorkFabric;
let warp: McpSession;
const P = 'dlq-tools';
const UP = P.toUpperCase();

beforeAll(async () => {
  fabric = await startWorkFabric();
  warp = await fabric.warp(P, agentHex('d'));
  await register(warp, ['build', 'test']);
});

afterAll(async () => {
  await fabric?.stop();
});

const offer = (workId: string, capability = 'build') => warp.call('broadcast_work_offer', { taskId: 't', description: workId, requiredCapability: capability, workId });
const claim = (capability = 'build', timeout = 5000) => warp.call<Claim>('claim_work', { capability, timeout });
const list = (args: Record<string, unknown> = {}) => warp.call<DeadLetters>('list_dead_letter_items', args);

describe('dead-letter tools', () => {
  it('moves an item failed maxDeliver times to the DLQ with its error history; retry puts it back to be completed', async () => {
    await offer('flaky-1');
    const outcomes: string[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const claimed = await claim();
      expect(claimed.work).toMatchObject({ workId: 'flaky-1', attempt });
      outcomes.push((await warp.call<{ outcome: string }>('fail_work', { workId: 'flaky-1', error: `broke on try ${attempt}` })).outcome);
    }
    expect(outcomes).toEqual(['retrying', 'retrying', 'dead-lettered']);
    await fabric.drained(`LOOM_${UP}_WORK`);
    expect(await fabric.count(`LOOM_${UP}_DLQ`)).toBe(1);
    const { items } = await list();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ workId: 'flaky-1', capability: 'build', attempt: 3 });
    expect(items[0]!.errors).toEqual([1, 2, 3].map((n) => expect.objectContaining({ error: `broke on try ${n}`, attempt: n, agentId: agentHex('d') })));

    await expect(warp.call('retry_dead_letter_item', { id: items[0]!.deadLetterId })).resolves.toMatchObject({ workId: 'flaky-1', retried: true });
    expect((await list()).items).toEqual([]);
    const again = await claim();
    expect(again.work).toMatchObject({ workId: 'flaky-1', attempt: 4 });
    expect(again.work!.errors).toHaveLength(3);
    await warp.call('complete_work', { workId: 'flaky-1', result: 'fixed' });
    await fabric.drained(`LOOM_${UP}_WORK`);
    expect(await fabric.count(`LOOM_${UP}_DLQ`)).toBe(0);
  });

  it('a retry without resetAttempts continues the attempt count; with resetAttempts it starts again', async () => {
    await offer('stubborn-1');
    expect((await claim()).work?.attempt).toBe(1);
    await warp.call('fail_work', { workId: 'stubborn-1', error: 'hopeless', retryable: false });
    const [first] = (await list()).items;
    expect(first!.reason).toMatch(/not retryable/);
    await warp.call('retry_dead_letter_item', { id: first!.deadLetterId });
    expect((await claim()).work?.attempt).toBe(2);
    expect((await warp.call<{ outcome: string }>('fail_work', { workId: 'stubborn-1', error: 'still' })).outcome).toBe('retrying');
    expect((await claim()).work?.attempt).toBe(3);
    expect((await warp.call<{ outcome: string }>('fail_work', { workId: 'stubborn-1', error: 'still' })).outcome).toBe('dead-lettered');
    const [second] = (await list()).items;
    expect(second!.errors).toHaveLength(3);
    await warp.call('retry_dead_letter_item', { id: second!.deadLetterId, resetAttempts: true });
    expect((await claim()).work?.attempt).toBe(1);
    expect((await warp.call<{ outcome: string }>('fail_work', { workId: 'stubborn-1', error: 'once more' })).outcome).toBe('retrying');
    expect((await claim()).work?.attempt).toBe(2);
    await warp.call('complete_work', { workId: 'stubborn-1', result: 'finally' });
  });

  it('discards a dead letter for good, and an unknown id is not found', async () => {
    await offer('junk-1');
    await claim();
    await warp.call('fail_work', { workId: 'junk-1', error: 'garbage', retryable: false });
    const [item] = (await list()).items;
    await expect(warp.call('discard_dead_letter_item', { id: item!.deadLetterId })).resolves.toEqual({ id: item!.deadLetterId, discarded: true });
    expect((await list()).items).toEqual([]);
    expect(await errorText(warp, 'discard_dead_letter_item', { id: item!.deadLetterId })).toMatch(/^LOOM_ERR_NOT_FOUND/);
    expect(await errorText(warp, 'retry_dead_letter_item', { id: '999999' })).toMatch(/^LOOM_ERR_NOT_FOUND/);
  });

  it('pages dead letters with a cursor and filters them by capability', async () => {
    for (const [id, capability] of [['p-1', 'build'], ['p-2', 'test'], ['p-3', 'build'], ['p-4', 'build']] as const) {
      await offer(id, capability);
      await claim(capability);
      await warp.call('fail_work', { workId: id, error: 'x', retryable: false });
    }
    const page1 = await list({ limit: 2 });
    expect(page1.items.map((i) => i.workId)).toEqual(['p-1', 'p-2']);
    const page2 = await list({ limit: 2, cursor: page1.nextCursor });
    expect(page2.items.map((i) => i.workId)).toEqual(['p-3', 'p-4']);
    expect(page2.nextCursor).toBeUndefined();
    expect((await list({ capability: 'build' })).items.map((i) => i.workId)).toEqual(['p-1', 'p-3', 'p-4']);
    expect((await list({ capability: 'test' })).items.map((i) => i.workId)).toEqual(['p-2']);
  });
});
