// Cancelling an item a real `loom agent` is running: weft tells the holder, the agent stops the command and settles
// the item as cancelled (no completed event, no completion of its own, nothing redelivered), and goes on working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startFabric, waitFor, type Fabric, type WeftProcess } from './harness.js';

const PROJECT = 'weft-cancel';
let fabric: Fabric;
let weft: WeftProcess;

beforeAll(async () => {
  fabric = await startFabric(PROJECT);
  weft = await fabric.startWeft();
});
afterAll(async () => {
  await fabric?.stop();
});

const get = (path: string) => http(weft.url, 'GET', path).then((answer) => answer.body);
const submit = async (body: Record<string, unknown>) => {
  const answer = await http(weft.url, 'POST', '/api/work', { body });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as { workId: string };
};

describe('cancelling in-progress work', () => {
  it('ends an item a real agent is running as cancelled for good, and the agent moves on to the next item', async () => {
    const agent = await fabric.startAgent({ capability: 'transcode', env: { LOG_LEVEL: 'info' } });
    await waitFor(async () => (await get(`/api/agents/${agent.agentId}`))?.status === 'online', 'the agent to be online');
    // Far longer than the test may wait: the next item can only complete if the agent stopped this command.
    const long = await submit({ description: 'sleep:120000 transcode the film', capability: 'transcode' });
    await waitFor(async () => (await get(`/api/work/${long.workId}`)).state === 'in-progress', 'the agent to start the long item');

    const cancel = await http(weft.url, 'POST', `/api/work/${long.workId}/cancel`, { body: { reason: 'changed my mind' } });
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    expect(cancel.body.state).toBe('cancelled');
    // A second cancel of an ended item is a conflict, not a second outcome.
    expect((await http(weft.url, 'POST', `/api/work/${long.workId}/cancel`, { body: {} })).status).toBe(409);

    // The agent has one slot: the next item completes only after it settled (or gave up on) the cancelled one.
    const next = await submit({ description: 'transcode the trailer', capability: 'transcode' });
    const done = await waitFor(async () => {
      const record = await get(`/api/work/${next.workId}`);
      return record.state === 'completed' && record;
    }, 'the agent to move on and complete the next item', 30_000);
    expect(done.agentId).toBe(agent.agentId);
    // Said plainly, not as a failure to settle: the command was stopped because the item was cancelled.
    expect(agent.stderr()).toMatch(/"workId":"[^"]+".*"msg":"work item cancelled; its command was stopped"/);
    expect(agent.stderr()).not.toContain('could not settle');

    const cancelled = await get(`/api/work/${long.workId}`);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.result).toBeUndefined();
    const states = (cancelled.history as Array<{ state: string; note?: string }>).map((h) => h.state);
    expect(states).not.toContain('completed');
    expect(states.slice(-1)).toEqual(['cancelled']);
    expect((cancelled.history as Array<{ note?: string }>).find((h) => h.note?.startsWith('cancelled'))?.note).toContain('changed my mind');
    // Nothing of it is waiting in the queue to be handed out again, and no agent claimed it a second time.
    const stats = await get(`/api/stats?projectId=${PROJECT}`);
    expect(stats.queueDepth.transcode ?? 0).toBe(0);
    expect((cancelled.history as Array<{ state: string }>).filter((h) => h.state === 'assigned')).toHaveLength(1);
    await agent.kill('SIGTERM');
  });
});
