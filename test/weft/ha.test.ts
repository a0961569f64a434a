// High availability: two weft instances; only the lease holder acts, the other takes over within the lease time
// when the holder is killed, and no work item is assigned twice.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { http, startFabric, waitFor, type Fabric } from './harness.js';

const TTL = 3000;
let fabric: Fabric;

beforeAll(async () => {
  fabric = await startFabric('weft-ha');
});
afterAll(async () => {
  await fabric?.stop();
});

// Processes a test started are stopped even when it fails: a leftover lease holder would fail the next test too.
const running: Array<{ kill(signal?: NodeJS.Signals): Promise<unknown> | unknown }> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => Promise.resolve(p.kill('SIGKILL')).catch(() => {})));
});

const health = async (url: string) => (await http(url, 'GET', '/health')).body as { leader: boolean; instanceId: string };

describe('weft high availability', () => {
  it('lets only the lease holder act, fails over within the lease time, and assigns no item twice', async () => {
    const env = { WEFT_LEASE_TTL_MS: String(TTL) };
    const a = await fabric.startWeft(env);
    running.push(a);
    await waitFor(async () => (await health(a.url)).leader, 'the first weft to hold the lease');
    const b = await fabric.startWeft(env);
    running.push(b);
    await new Promise((resolve) => setTimeout(resolve, TTL)); // b has had a full lease time to (wrongly) grab it
    expect((await health(b.url)).leader).toBe(false);
    expect((await health(a.url)).leader).toBe(true);

    const agent = await fabric.startAgent({ capability: 'ha' });
    running.push(agent);
    await waitFor(async () => (await http(b.url, 'GET', `/api/agents/${agent.agentId}`)).body?.status === 'online', 'the agent to be online');
    const ids: string[] = [];
    // Writes sent to the standby are forwarded to the holder; reads are served by both.
    for (let i = 0; i < 6; i++) {
      const answer = await http(b.url, 'POST', '/api/work', { body: { description: `sleep:300 item ${i}`, capability: 'ha' } });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      ids.push(answer.body.workId);
    }
    expect((await http(b.url, 'GET', `/api/work/${ids[0]}`)).status).toBe(200);

    await a.kill('SIGKILL');
    const killedAt = Date.now();
    await waitFor(async () => (await health(b.url)).leader, 'the standby to take the lease', 15_000);
    const takeoverMs = Date.now() - killedAt;
    // The lease time plus one standby check (a third of it) plus polling slack.
    expect(takeoverMs).toBeLessThanOrEqual(TTL + TTL / 3 + 1500);

    for (let i = 6; i < 10; i++) {
      const answer = await http(b.url, 'POST', '/api/work', { body: { description: `sleep:100 item ${i}`, capability: 'ha' } });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      ids.push(answer.body.workId);
    }
    // An event the killed holder had received but not acked comes to the new holder again after the events' ack
    // wait (5 s), possibly after later events of its item: a "claimed" then joins a record that is completed already
    // (claimBeforeCompletion), so the history is whole a few seconds after the state is final. Wait for both.
    const records = await waitFor(async () => {
      const all = await Promise.all(ids.map(async (id) => (await http(b.url, 'GET', `/api/work/${id}`)).body));
      return all.every((record) => record.state === 'completed' && record.history.some((h: { state: string }) => h.state === 'assigned')) && all;
    }, 'every item to complete after the failover, with its claim in its history', 40_000);
    for (const record of records) {
      const assigned = record.history.filter((h: { state: string }) => h.state === 'assigned');
      expect(assigned, `work ${record.workId}: ${JSON.stringify(record.history)}`).toHaveLength(1);
      expect(record.history.filter((h: { state: string }) => h.state === 'completed')).toHaveLength(1);
      expect(record.agentId).toBe(agent.agentId);
    }
    const stats = (await http(b.url, 'GET', '/api/stats')).body;
    expect(stats.work.completed).toBe(ids.length);
    await agent.kill('SIGTERM');
    await b.kill('SIGTERM');
  });

  it('answers a write with 503 while no instance holds the lease, and changes nothing', async () => {
    const env = { WEFT_LEASE_TTL_MS: '30000' };
    const holder = await fabric.startWeft(env);
    running.push(holder);
    await waitFor(async () => (await health(holder.url)).leader, 'a holder');
    const standby = await fabric.startWeft(env);
    running.push(standby);
    const before = (await http(standby.url, 'GET', '/api/stats')).body.work;
    await holder.kill('SIGKILL'); // its lease stays valid for 30 s: nobody may act meanwhile
    const answer = await http(standby.url, 'POST', '/api/work', { body: { description: 'during the gap', capability: 'ha' } });
    expect(answer.status).toBe(503);
    expect(answer.body.error.code).toBe('LOOM_ERR_UNAVAILABLE');
    expect((await http(standby.url, 'GET', '/api/stats')).body.work).toEqual(before);
    await standby.kill('SIGTERM');
  });
});
