// weft's /metrics against real processes: agents, queue depth and oldest age, work by state, dispatch and duration
// histograms, spin-ups, dead letters and the NATS connection — each checked to move as the fabric does things.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startFabric, waitFor, WORKER, type Fabric, type WeftProcess } from '../weft/harness.js';
import { scrape } from './prometheus.js';

const PROJECT = 'metrics-weft';
let fabric: Fabric;
let weft: WeftProcess;
const metrics = () => scrape(`${weft.url}/metrics`);
const submit = async (description: string, capability: string) => (await http(weft.url, 'POST', '/api/work', { body: { description, capability } })).body.workId as string;
const stateOf = async (workId: string) => (await http(weft.url, 'GET', `/api/work/${workId}`)).body.state as string;

beforeAll(async () => {
  fabric = await startFabric(PROJECT);
  weft = await fabric.startWeft();
}, 60_000);
afterAll(async () => {
  // An agent a target started runs detached from weft: stop it by the pid its mechanism recorded.
  const spawned = weft ? await http<{ items: Array<{ handle: { pid?: number } }> }>(weft.url, 'GET', '/api/spin-ups/agents').catch(() => undefined) : undefined;
  for (const agent of spawned?.body.items ?? []) if (agent.handle.pid) process.kill(agent.handle.pid, 'SIGKILL');
  await fabric?.stop();
});

describe('weft /metrics', () => {
  it('serves Prometheus text from its own registry, with the process and NATS connection', async () => {
    const response = await fetch(`${weft.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = await metrics();
    expect(samples.value('loom_nats_connected')).toBe(1);
    expect(samples.value('loom_nats_reconnects_total')).toBe(0);
    expect(samples.value('loom_weft_leader')).toBe(1);
    expect(samples.value('process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts agents by status and work by state, and observes dispatch latency and work duration', async () => {
    const before = await metrics();
    expect(before.value('loom_work_items', { project: PROJECT, state: 'completed' }) ?? 0).toBe(0);
    const agent = await fabric.startAgent({ capability: 'sum' });
    await waitFor(async () => (await metrics()).value('loom_agents', { project: PROJECT, status: 'online' }) === 1, 'one agent online in the metrics');

    const ids = [await submit('add 1 and 2', 'sum'), await submit('sleep:300 add 3 and 4', 'sum')];
    for (const id of ids) await waitFor(async () => (await stateOf(id)) === 'completed', `work ${id} to complete`);
    const after = await waitFor(async () => {
      const samples = await metrics();
      return samples.value('loom_work_items', { project: PROJECT, state: 'completed' }) === 2 && samples;
    }, 'two completed items in the metrics');
    expect(after.value('loom_work_transitions_total', { project: PROJECT, state: 'completed' })).toBe(2);
    expect(after.value('loom_work_transitions_total', { project: PROJECT, state: 'assigned' })).toBe(2);
    expect(after.value('loom_work_dispatch_seconds_count', { project: PROJECT })).toBe(2);
    expect(after.value('loom_work_duration_seconds_count', { project: PROJECT, outcome: 'completed' })).toBe(2);
    // The second item worked for 300 ms: the duration histogram has seen at least that much.
    expect(after.value('loom_work_duration_seconds_sum', { project: PROJECT, outcome: 'completed' })!).toBeGreaterThanOrEqual(0.3);
    expect(after.value('loom_work_events_total', { type: 'offered' })).toBe(2);
    await agent.kill('SIGTERM');
    await waitFor(async () => ((await metrics()).value('loom_agents', { project: PROJECT, status: 'online' }) ?? 0) === 0, 'the stopped agent to leave the online count');
  });

  it('shows queue depth and the age of the oldest waiting item per capability, and counts the spin-up it asked for', async () => {
    await submit('nobody does this yet', 'translate');
    const first = await waitFor(async () => {
      const samples = await metrics();
      return samples.value('loom_queue_depth', { project: PROJECT, capability: 'translate' }) === 1 && samples;
    }, 'the translate queue to show one item');
    const age = first.value('loom_queue_oldest_age_seconds', { project: PROJECT, capability: 'translate' })!;
    expect(age).toBeGreaterThanOrEqual(0);
    // The same item, still waiting, grows older from scrape to scrape.
    await waitFor(async () => (await metrics()).value('loom_queue_oldest_age_seconds', { project: PROJECT, capability: 'translate' })! > age + 1, 'the oldest age to grow by a second');
    // No agent and no target: weft asked the spin-up manager, which recorded "no-target".
    await waitFor(async () => ((await metrics()).value('loom_spin_ups_total', { project: PROJECT, mechanism: 'none', outcome: 'no-target' }) ?? 0) >= 1, 'the spin-up attempt to be counted');
  });

  it('counts a spin-up by mechanism and outcome when a local target really starts an agent, and the cooldown after it, once each', async () => {
    const spinUps = async (outcome: string) => (await metrics()).value('loom_spin_ups_total', { project: PROJECT, mechanism: 'local', outcome }) ?? 0;
    const created = await http(weft.url, 'POST', '/api/targets', {
      body: {
        id: 'laptop',
        name: 'This laptop',
        mechanism: 'local',
        agentType: 'worker',
        capabilities: ['review'],
        cooldownMs: 600_000,
        config: { command: ['loom', 'agent', '--capability', 'review', '--agent-type', 'worker', '--grace-ms', '0', '--', process.execPath, WORKER], cwd: fabric.project.dir },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(await spinUps('started')).toBe(0);

    const started = await http(weft.url, 'POST', '/api/targets/laptop/spin-up', { body: { reason: 'metrics test' } });
    expect(started.body.outcome).toBe('started');
    // The agent it started runs: it registers, and then does the work it was started for.
    await waitFor(async () => ((await http(weft.url, 'GET', '/api/agents')).body.items as Array<{ id: string }>).some((a) => a.id === started.body.agentId), 'the started agent to register');
    const reviewed = await submit('review the release notes', 'review');
    await waitFor(async () => (await stateOf(reviewed)) === 'completed', 'the started agent to complete a review');
    await waitFor(async () => (await spinUps('started')) === 1, 'the start to be counted');

    expect((await http(weft.url, 'POST', '/api/targets/laptop/spin-up', { body: { reason: 'again, inside the cooldown' } })).body.outcome).toBe('cooldown');
    await waitFor(async () => (await spinUps('cooldown')) === 1, 'the cooldown to be counted');
    // Later scrapes read the same history: nothing is counted twice.
    expect(await spinUps('started')).toBe(1);
    expect(await spinUps('cooldown')).toBe(1);
    expect(await spinUps('failed')).toBe(0);
  });

  it('counts dead letters', async () => {
    const flaky = await fabric.startAgent({ capability: 'flaky' });
    const id = await submit('fail: out of disk', 'flaky');
    await waitFor(async () => (await stateOf(id)) === 'failed', 'the item to be dead-lettered');
    await waitFor(async () => (await metrics()).value('loom_dead_letters', { project: PROJECT }) === 1, 'one dead letter in the metrics');
    expect((await metrics()).value('loom_work_transitions_total', { project: PROJECT, state: 'failed' })).toBe(1);
    await flaky.kill('SIGTERM');
  });

  it('reports the NATS connection going away and coming back', async () => {
    await fabric.nats.kill();
    // /metrics answers from the connection state while NATS is down (the per-project numbers cannot be read then).
    await waitFor(async () => (await metrics()).value('loom_nats_connected') === 0, 'the connection to be reported down');
    await fabric.nats.restart();
    const back = await waitFor(async () => {
      const samples = await metrics();
      return samples.value('loom_nats_connected') === 1 && samples;
    }, 'the connection to be reported up again');
    expect(back.value('loom_nats_reconnects_total')).toBeGreaterThanOrEqual(1);
    expect(back.value('loom_nats_connection_events_total', { type: 'disconnect' })).toBeGreaterThanOrEqual(1);
  });
});
