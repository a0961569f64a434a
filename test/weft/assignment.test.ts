// Assignment end to end: POST /api/work → a `loom agent` claims and completes it → weft's record shows every state.
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startFabric, waitFor, type Fabric, type WeftProcess } from './harness.js';
import { openKv } from '../../core/testing/kv.js';

const PROJECT = 'weft-assign';
let fabric: Fabric;
let weft: WeftProcess;

beforeAll(async () => {
  fabric = await startFabric(PROJECT);
  weft = await fabric.startWeft();
});
afterAll(async () => {
  await fabric?.stop();
});

const work = (id: string) => http(weft.url, 'GET', `/api/work/${id}`).then((answer) => answer.body);
const states = (record: { history: Array<{ state: string }> }) => record.history.map((entry) => entry.state);

async function agentOnline(agentId: string): Promise<void> {
  await waitFor(async () => (await http(weft.url, 'GET', `/api/agents/${agentId}`)).body?.status === 'online', `agent ${agentId} to be online in weft`);
}

describe('weft assignment', () => {
  it('shows pending → assigned → in-progress → completed with the agent id and the result, and keeps it in KV', async () => {
    const agent = await fabric.startAgent({ capability: 'echo', agentType: 'claude-code' });
    await agentOnline(agent.agentId);
    const submitted = await http(weft.url, 'POST', '/api/work', { body: { description: 'sleep:1200 write the changelog', capability: 'echo', taskId: 'changelog' } });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({ state: 'pending', capability: 'echo', taskId: 'changelog', projectId: PROJECT });
    expect(submitted.body.decision.classifier).toBe('capability');
    expect(submitted.body.decision.eligibleAgents.map((a: { id: string }) => a.id)).toContain(agent.agentId);
    const id = submitted.body.workId as string;

    const done = await waitFor(async () => {
      const record = await work(id);
      return record.state === 'completed' && record;
    }, 'the item to complete');
    expect(states(done)).toEqual(['pending', 'assigned', 'in-progress', 'completed']);
    expect(done.agentId).toBe(agent.agentId);
    expect(done.history[1]).toMatchObject({ state: 'assigned', agentId: agent.agentId, attempt: 1 });
    expect(JSON.parse(done.result)).toMatchObject({ did: 'sleep:1200 write the changelog', by: agent.agentId });

    // Nothing about work lives only in memory: the record is in weft's KV bucket, readable by any NATS client.
    const nc = await connect({ servers: fabric.nats.url });
    const kv = await openKv(nc, `weft-${PROJECT}-work`);
    const stored = (await kv.get(id))?.json<{ state: string; agentId: string }>();
    expect(stored).toMatchObject({ state: 'completed', agentId: agent.agentId });
    const assignment = (await (await openKv(nc, `weft-${PROJECT}-assignments`)).get(id))?.json<{ agentId: string; status: string }>();
    expect(assignment).toMatchObject({ agentId: agent.agentId, status: 'done' });
    await nc.close();
    await agent.kill('SIGTERM');
  });

  it('shows a quick item in progress before it completes, with the default lease (no lease extension falls inside the item)', async () => {
    // The default lease is 5 min, so `loom agent` extends it every 100 s: only its "started" report can show in-progress.
    const agent = await fabric.startAgent({ capability: 'quick', env: { LOOMINAL_ACK_WAIT_MS: '300000' } });
    await agentOnline(agent.agentId);
    const { body } = await http(weft.url, 'POST', '/api/work', { body: { description: 'count the files', capability: 'quick' } });
    const done = await waitFor(async () => {
      const record = await work(body.workId);
      return record.state === 'completed' && record;
    }, 'the quick item to complete');
    expect(states(done)).toEqual(['pending', 'assigned', 'in-progress', 'completed']);
    expect(done.history[2]).toMatchObject({ state: 'in-progress', agentId: agent.agentId, note: 'started' });
    await agent.kill('SIGTERM');
  });

  it('records a failing item as failed with its error after its attempts, and lists it in the dead-letter queue', async () => {
    const agent = await fabric.startAgent({ capability: 'flaky' });
    await agentOnline(agent.agentId);
    const { body } = await http(weft.url, 'POST', '/api/work', { body: { description: 'fail: the build is broken', capability: 'flaky' } });
    const failed = await waitFor(async () => {
      const record = await work(body.workId);
      return record.state === 'failed' && record.history.some((h: { note?: string }) => h.note?.startsWith('dead-lettered')) && record;
    }, 'the item to fail for good');
    expect(failed.error).toContain('the build is broken');
    // Every attempt is reported as started (in-progress) before its command fails.
    expect(states(failed)).toEqual(['pending', 'assigned', 'in-progress', 'pending', 'assigned', 'in-progress', 'pending', 'assigned', 'in-progress', 'failed', 'failed']);
    const dlq = await http(weft.url, 'GET', '/api/dlq?capability=flaky');
    expect(dlq.status).toBe(200);
    expect(dlq.body.items.map((d: { workId: string }) => d.workId)).toContain(body.workId);
    await agent.kill('SIGTERM');
  });

  it('cancels a waiting item: it is never handed out and never completes, and the missing spin-up manager is recorded', async () => {
    const { body } = await http(weft.url, 'POST', '/api/work', { body: { description: 'nobody is here yet', capability: 'later' } });
    const cancelled = await http(weft.url, 'POST', `/api/work/${body.workId}/cancel`, { body: { reason: 'plans changed' } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ state: 'cancelled' });
    expect(cancelled.body.history.at(-1).note).toContain('plans changed');
    const again = await http(weft.url, 'POST', `/api/work/${body.workId}/cancel`, { body: {} });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('LOOM_ERR_CONFLICT');

    const agent = await fabric.startAgent({ capability: 'later' });
    await agentOnline(agent.agentId);
    const marker = await http(weft.url, 'POST', '/api/work', { body: { description: 'after the cancelled one', capability: 'later' } });
    await waitFor(async () => (await work(marker.body.workId)).state === 'completed', 'a later item on the same queue to complete');
    const record = await work(body.workId);
    expect(record.state).toBe('cancelled');
    expect(record.result).toBeUndefined();
    // The work queue honours the cancellation: the agent never got the item (weft would have noted a late claim).
    expect(record.history.filter((h: { note?: string }) => h.note?.includes('after cancellation'))).toEqual([]);
    expect(record.spinUp).toMatchObject({ outcome: 'no-target' });
    await agent.kill('SIGTERM');
  });
});
