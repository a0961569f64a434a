// The work tools end to end: several real `loom warp` processes over stdio, one real nats-server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpSession } from '../../core/testing/mcp-client.js';
import { agentHex, errorText, register, startWorkFabric, type WorkFabric } from './work-harness.js';

interface Claim {
  claimed: boolean;
  work: { workId: string; attempt: number; errors: Array<{ agentId: string; error: string; attempt: number }>; projectId: string; priority: number } | null;
}

let fabric: WorkFabric;
const P = 'work-tools';

beforeAll(async () => {
  fabric = await startWorkFabric();
});

afterAll(async () => {
  await fabric?.stop();
});

const offer = (session: McpSession, workId: string, extra: Record<string, unknown> = {}) =>
  session.call<{ workId: string; duplicate: boolean }>('broadcast_work_offer', { taskId: 'task-1', description: `do ${workId}`, requiredCapability: 'build', workId, ...extra });
const claim = (session: McpSession, timeout = 0, capability = 'build') => session.call<Claim>('claim_work', { capability, timeout });

describe('work tools over real loom warp processes', () => {
  let a: McpSession;
  let b: McpSession;
  let c: McpSession;

  beforeAll(async () => {
    [a, b, c] = (await Promise.all(['1', '2', '3'].map((d) => fabric.warp(P, agentHex(d))))) as [McpSession, McpSession, McpSession];
    for (const s of [a, b, c]) await register(s, ['build']);
  });

  it('hands each offer to exactly one of three competing claimers, and complete_work ends it exactly once', async () => {
    await offer(a, 'race-1');
    const first = await Promise.all([a, b, c].map((s) => claim(s, 1500)));
    const winners = first.filter((r) => r.claimed);
    expect(winners).toHaveLength(1);
    expect(winners[0]!.work).toMatchObject({ workId: 'race-1', attempt: 1, errors: [], projectId: P });
    const winner = [a, b, c][first.indexOf(winners[0]!)]!;
    const loser = [a, b, c].find((s) => s !== winner)!;
    await expect(winner.call('complete_work', { workId: 'race-1', result: { ok: true } })).resolves.toEqual({ workId: 'race-1', completed: true });
    expect(await errorText(winner, 'complete_work', { workId: 'race-1', result: 'again' })).toMatch(/^LOOM_ERR_CONFLICT: work race-1 was already completed by agent/);
    expect(await errorText(loser, 'complete_work', { workId: 'race-1', result: 'mine' })).toMatch(/^LOOM_ERR_CONFLICT/);
    await fabric.drained(`LOOM_${P.toUpperCase()}_WORK`);

    // Several items, three claimers draining at once: every item handed out once, none twice.
    const ids = ['many-1', 'many-2', 'many-3', 'many-4', 'many-5', 'many-6'];
    for (const id of ids) await offer(b, id);
    const drain = async (s: McpSession) => {
      const got: string[] = [];
      for (;;) {
        const r = await claim(s, 0);
        if (!r.claimed) return got;
        got.push(r.work!.workId);
        await s.call('complete_work', { workId: r.work!.workId, result: 'done' });
      }
    };
    const got = (await Promise.all([a, b, c].map(drain))).flat();
    expect([...got].sort()).toEqual(ids);
  });

  it('gives the item of a claimer killed with SIGKILL to another claimer after the lease', async () => {
    const doomed = await fabric.warp(P, agentHex('4'));
    await register(doomed, ['build']);
    await offer(a, 'crash-1');
    expect((await claim(doomed, 2000)).work?.workId).toBe('crash-1');
    process.kill(doomed.pid()!, 'SIGKILL');
    const taken = await claim(b, 15_000);
    expect(taken.work).toMatchObject({ workId: 'crash-1', attempt: 2 });
    expect(taken.work!.errors).toEqual([expect.objectContaining({ agentId: agentHex('4'), attempt: 1, error: expect.stringMatching(/lease expired/) })]);
    await b.call('complete_work', { workId: 'crash-1', result: 'recovered' });
    await fabric.drained(`LOOM_${P.toUpperCase()}_WORK`);
  });

  it('does not deliver a duplicate offer with the same work id twice', async () => {
    expect((await offer(a, 'dup-1')).duplicate).toBe(false);
    expect((await offer(b, 'dup-1')).duplicate).toBe(true);
    expect(await fabric.count(`LOOM_${P.toUpperCase()}_WORK`)).toBe(1);
    expect((await claim(c, 2000)).work?.workId).toBe('dup-1');
    await c.call('complete_work', { workId: 'dup-1', result: 1 });
    expect((await claim(a, 500)).claimed).toBe(false);
  });

  it('hands out higher-priority items first', async () => {
    await offer(a, 'prio-low', { priority: 2 });
    await offer(a, 'prio-5', { priority: 5 });
    await offer(a, 'prio-6', { priority: 6 });
    await offer(a, 'prio-high', { priority: 9 });
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await claim(b, 2000);
      order.push(r.work!.workId);
      await b.call('complete_work', { workId: r.work!.workId, result: 'ok' });
    }
    expect(order).toEqual(['prio-high', 'prio-6', 'prio-5', 'prio-low']);
  });

  it('refuses claims for a capability the agent did not register, and leaves the item queued', async () => {
    const stranger = await fabric.warp(P, agentHex('5'));
    await offer(a, 'deploy-1', { requiredCapability: 'deploy' });
    expect(await errorText(stranger, 'claim_work', { capability: 'deploy', timeout: 0 })).toMatch(/^LOOM_ERR_FORBIDDEN: agent 5{32} is not registered .*register_agent/);
    expect(await errorText(a, 'claim_work', { capability: 'deploy', timeout: 0 })).toMatch(/^LOOM_ERR_FORBIDDEN: capability "deploy" is not among .*\("build"\)/);
    expect(await fabric.count(`LOOM_${P.toUpperCase()}_WORK`)).toBe(1);
  });

  it('keeps the lease of an agent that goes on calling tools, even past the lease time', async () => {
    await offer(a, 'long-1');
    expect((await claim(b, 2000)).work?.workId).toBe('long-1');
    const started = Date.now();
    // Over two lease lengths (2 s each) of an agent that is clearly alive: it keeps reading.
    while (Date.now() - started < 5000) {
      await b.call('list_dead_letter_items', {});
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect((await claim(c, 0)).claimed).toBe(false);
    await expect(b.call('complete_work', { workId: 'long-1', result: 'took a while' })).resolves.toEqual({ workId: 'long-1', completed: true });
  });
});
