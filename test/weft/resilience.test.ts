// Crashes: weft SIGKILLed and restarted keeps everything and tracks in-flight work; a worker SIGKILLed loses its item
// to another agent, and weft's record shows the hand-back and the new agent.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../fixtures/temp-project.js';
import { http, startFabric, waitFor, type Fabric, type WeftProcess } from './harness.js';

const PROJECT = 'weft-crash';
let fabric: Fabric;

// A user's config: a spin-up mechanism of their own, so targets can be created before the built-in ones exist.
const CONFIG = `import { scriptSpinUp } from ${JSON.stringify(`${REPO_ROOT}/test/fixtures/example-spin-up.ts`)};
export default { plugins: [scriptSpinUp] };
`;

beforeAll(async () => {
  fabric = await startFabric(PROJECT, { 'loom.config.ts': CONFIG });
});
// Each test stops its own processes; one that failed midway must not leave a weft holding the lease for the next.
afterEach(async () => {
  await fabric?.killAll();
});
afterAll(async () => {
  await fabric?.stop();
});

const get = (weft: WeftProcess, path: string) => http(weft.url, 'GET', path).then((answer) => answer.body);
const submit = async (weft: WeftProcess, body: Record<string, unknown>) => {
  const answer = await http(weft.url, 'POST', '/api/work', { body });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body;
};

describe('weft and worker crashes', () => {
  it('after weft is SIGKILLed and restarted, work items, states and targets are as before and in-flight work is tracked to completion', async () => {
    const env = { WEFT_LEASE_TTL_MS: '4000' };
    const first = await fabric.startWeft(env);
    const target = await http(first.url, 'POST', '/api/targets', { body: { id: 'laptop', mechanism: 'script', agentType: 'claude-code', capabilities: ['build'], config: { command: 'true' } } });
    expect(target.status).toBe(201);
    const agent = await fabric.startAgent({ capability: 'build' });
    await waitFor(async () => (await get(first, `/api/agents/${agent.agentId}`))?.status === 'online', 'the agent to be online');
    const quick = await submit(first, { description: 'quick one', capability: 'build' });
    await waitFor(async () => (await get(first, `/api/work/${quick.workId}`)).state === 'completed', 'the quick item to complete');
    const waiting = await submit(first, { description: 'nobody does this', capability: 'paint' });
    const slow = await submit(first, { description: 'sleep:3000 slow one', capability: 'build' });
    let seen = '';
    await waitFor(async () => {
      const record = await get(first, `/api/work/${slow.workId}`);
      seen = JSON.stringify(record.history);
      return record.state === 'in-progress';
    }, 'the slow item to be in progress').catch((err: unknown) => {
      throw new Error(`${String(err)}; history: ${seen}`);
    });
    // weft records its (asynchronous) spin-up attempt for the item nobody can do; the snapshot is taken after it.
    await waitFor(async () => (await get(first, `/api/work/${waiting.workId}`)).spinUp?.outcome === 'no-target', 'weft to record that no target serves the waiting item');
    const before = { quick: await get(first, `/api/work/${quick.workId}`), waiting: await get(first, `/api/work/${waiting.workId}`), targets: await get(first, '/api/targets') };

    await first.kill('SIGKILL');
    const second = await fabric.startWeft(env);
    expect(second.instanceId).not.toBe(first.instanceId);
    expect(await get(second, `/api/work/${quick.workId}`)).toEqual(before.quick);
    expect(await get(second, `/api/work/${waiting.workId}`)).toEqual(before.waiting);
    expect(await get(second, '/api/targets')).toEqual(before.targets);

    // The slow item completed while weft was down or restarting; the restarted weft picks the events up where the last stopped.
    const done = await waitFor(async () => {
      const record = await get(second, `/api/work/${slow.workId}`);
      return record.state === 'completed' && record;
    }, 'the restarted weft to see the in-flight item complete');
    expect(done.history.map((h: { state: string }) => h.state)).toEqual(['pending', 'assigned', 'in-progress', 'completed']);
    expect(done.agentId).toBe(agent.agentId);
    const list = await get(second, '/api/work?limit=10');
    expect(list.items.map((w: { workId: string }) => w.workId).sort()).toEqual([quick.workId, waiting.workId, slow.workId].sort());
    await agent.kill('SIGTERM');
    await second.kill('SIGTERM');
  });

  it('hands the item of a SIGKILLed worker to another agent, marks the dead one offline, and shows the reassignment', async () => {
    const weft = await fabric.startWeft();
    const first = await fabric.startAgent({ capability: 'render' });
    await waitFor(async () => (await get(weft, `/api/agents/${first.agentId}`))?.status === 'online', 'the first agent to be online');
    const { workId } = await submit(weft, { description: 'sleep:2000 render frames', capability: 'render' });
    await waitFor(async () => (await get(weft, `/api/work/${workId}`)).agentId === first.agentId, 'the first agent to take the item');
    await first.kill('SIGKILL');
    const second = await fabric.startAgent({ capability: 'render' });

    await waitFor(async () => (await get(weft, `/api/agents/${first.agentId}`))?.status === 'offline', 'weft to report the dead agent offline');
    const done = await waitFor(async () => {
      const record = await get(weft, `/api/work/${workId}`);
      return record.state === 'completed' && record;
    }, 'the second agent to complete the item', 40_000);
    expect(done.agentId).toBe(second.agentId);
    expect(JSON.parse(done.result)).toMatchObject({ by: second.agentId, attempt: 2 });
    const trail = done.history.map((h: { state: string; agentId?: string }) => `${h.state}:${h.agentId === first.agentId ? 'first' : h.agentId === second.agentId ? 'second' : '-'}`);
    expect(trail[0]).toBe('pending:-');
    expect(trail[1]).toBe('assigned:first');
    expect(trail).toContain('pending:first'); // weft handed it back when the first agent stopped heartbeating
    expect(trail.slice(-1)).toEqual(['completed:second']);
    expect(done.history.find((h: { state: string; agentId?: string }) => h.state === 'assigned' && h.agentId === second.agentId).note).toContain('reassigned');
    const agents = (await get(weft, '/api/agents')).items as Array<{ id: string; status: string }>;
    expect(agents.find((a) => a.id === first.agentId)?.status).toBe('offline');
    await second.kill('SIGTERM');
    await weft.kill('SIGTERM');
  });

  it('hands a dead agent\'s item back at once, long before its lease would run out, and leaves a live slow agent\'s item alone', async () => {
    // A lease far longer than the test: only weft's hand-back can get the item to another agent in time.
    const ACK_WAIT_MS = 60_000;
    const env = { LOOMINAL_ACK_WAIT_MS: String(ACK_WAIT_MS) };
    const weft = await fabric.startWeft(env);
    const doomed = await fabric.startAgent({ capability: 'bake', env });
    const slow = await fabric.startAgent({ capability: 'glaze', env });
    await waitFor(async () => (await get(weft, `/api/agents/${doomed.agentId}`))?.status === 'online' && (await get(weft, `/api/agents/${slow.agentId}`))?.status === 'online', 'both agents to be online');
    const { workId } = await submit(weft, { description: 'sleep:1000 bake bread', capability: 'bake' });
    // Longer than the stale check and the three missed heartbeats that mark an agent offline, on a live agent.
    const glaze = await submit(weft, { description: 'sleep:5000 glaze slowly', capability: 'glaze' });
    await waitFor(async () => (await get(weft, `/api/work/${workId}`)).agentId === doomed.agentId, 'the doomed agent to take the item');
    await waitFor(async () => (await get(weft, `/api/work/${glaze.workId}`)).agentId === slow.agentId, 'the slow agent to take its item');
    await doomed.kill('SIGKILL');
    const killedAt = Date.now();
    const rescuer = await fabric.startAgent({ capability: 'bake', env });

    const done = await waitFor(async () => {
      const record = await get(weft, `/api/work/${workId}`);
      return record.state === 'completed' && record;
    }, 'another agent to complete the item', 30_000);
    expect(Date.now() - killedAt).toBeLessThan(ACK_WAIT_MS / 2);
    expect(done.agentId).toBe(rescuer.agentId);
    expect(JSON.parse(done.result)).toMatchObject({ by: rescuer.agentId, attempt: 2 });
    const handBack = done.history.find((h: { state: string; agentId?: string }) => h.state === 'pending' && h.agentId === doomed.agentId);
    expect(handBack?.note).toContain('handed back to the queue');

    const glazed = await waitFor(async () => {
      const record = await get(weft, `/api/work/${glaze.workId}`);
      return record.state === 'completed' && record;
    }, 'the slow agent to complete its own item', 30_000);
    expect(glazed.agentId).toBe(slow.agentId);
    expect(JSON.parse(glazed.result)).toMatchObject({ by: slow.agentId, attempt: 1 });
    expect(glazed.history.some((h: { state: string }) => h.state === 'pending' && glazed.history.indexOf(h) > 0)).toBe(false);
    await rescuer.kill('SIGTERM');
    await slow.kill('SIGTERM');
    await weft.kill('SIGTERM');
  });
});
