// Project isolation of work: two projects on one NATS server never see each other's work; public offers cross over.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpSession } from '../../core/testing/mcp-client.js';
import { agentHex, errorText, register, startWorkFabric, type WorkFabric } from './work-harness.js';

interface Claim {
  claimed: boolean;
  work: { workId: string; projectId: string; scope: string } | null;
}

let fabric: WorkFabric;
let alpha: McpSession;
let beta: McpSession;

beforeAll(async () => {
  fabric = await startWorkFabric();
  [alpha, beta] = (await Promise.all([fabric.warp('alpha', agentHex('a')), fabric.warp('beta', agentHex('b'))])) as [McpSession, McpSession];
  await register(alpha, ['build']);
  await register(beta, ['build']);
});

afterAll(async () => {
  await fabric?.stop();
});

const offer = (s: McpSession, workId: string, extra: Record<string, unknown> = {}) =>
  s.call('broadcast_work_offer', { taskId: 't', description: workId, requiredCapability: 'build', workId, ...extra });

describe('work across projects', () => {
  it('keeps team work, completions and dead letters inside their project', async () => {
    await offer(alpha, 'secret-1');
    expect((await beta.call<Claim>('claim_work', { capability: 'build', timeout: 800, includePublic: true })).claimed).toBe(false);
    expect(await errorText(beta, 'complete_work', { workId: 'secret-1', result: 'stolen' })).toMatch(/^LOOM_ERR_NOT_FOUND/);
    const mine = await alpha.call<Claim>('claim_work', { capability: 'build', timeout: 2000 });
    expect(mine.work).toMatchObject({ workId: 'secret-1', projectId: 'alpha' });
    await alpha.call('fail_work', { workId: 'secret-1', error: 'no', retryable: false });
    const alphaDead = await alpha.call<{ items: Array<{ deadLetterId: string }> }>('list_dead_letter_items', {});
    expect(alphaDead.items).toHaveLength(1);
    expect((await beta.call<{ items: unknown[] }>('list_dead_letter_items', {})).items).toEqual([]);
    expect(await errorText(beta, 'retry_dead_letter_item', { id: alphaDead.items[0]!.deadLetterId })).toMatch(/^LOOM_ERR_NOT_FOUND/);
    expect(await errorText(beta, 'discard_dead_letter_item', { id: alphaDead.items[0]!.deadLetterId })).toMatch(/^LOOM_ERR_NOT_FOUND/);
    expect(await fabric.count('LOOM_ALPHA_DLQ')).toBe(1);
    expect(await fabric.count('LOOM_BETA_WORK')).toBe(0);
  });

  it('lets another project claim and complete a public offer, only when it asks for public work', async () => {
    await offer(alpha, 'shared-1', { scope: 'public' });
    expect(await fabric.count('LOOM_PUBLIC_WORK')).toBe(1);
    expect((await beta.call<Claim>('claim_work', { capability: 'build', timeout: 300 })).claimed).toBe(false);
    const taken = await beta.call<Claim>('claim_work', { capability: 'build', timeout: 2000, includePublic: true });
    expect(taken.work).toMatchObject({ workId: 'shared-1', projectId: 'alpha', scope: 'public' });
    await beta.call('complete_work', { workId: 'shared-1', result: 'from beta' });
    expect(await fabric.count('LOOM_PUBLIC_WORK')).toBe(0);
    expect((await alpha.call<Claim>('claim_work', { capability: 'build', timeout: 300, includePublic: true })).claimed).toBe(false);
  });
});
