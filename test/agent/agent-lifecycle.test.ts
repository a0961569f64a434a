// `loom agent` lifecycle: clean exit on SIGTERM and on a shutdown request, deregistration, and crash recovery.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createNames } from '../../core/index.js';
import { offerFor, startAgentFabric, until, type AgentFabric } from './agent-harness.js';

let fabric: AgentFabric;
let nc: NatsConnection;

beforeAll(async () => {
  fabric = await startAgentFabric('agent-life');
  nc = await connect({ servers: fabric.nats.url });
});

afterAll(async () => {
  await nc?.close();
  await fabric?.stop();
});

const claimedBy = (workId: string, agentId: string) => () => fabric.events.find((e) => e.workId === workId && e.type === 'claimed' && e.agentId === agentId);

describe('loom agent lifecycle', () => {
  it('exits with code 0 on SIGTERM and deregisters', async () => {
    const agentId = 'a1'.repeat(16);
    const agent = fabric.agent(agentId, ['--capability', 'idle', '--', 'true']);
    await until(() => fabric.registry.get(agentId), () => `registration; stderr: ${agent.output.stderr}`);
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toEqual({ code: 0, signal: null });
    expect(await fabric.registry.get(agentId)).toBeNull();
  });

  it('keeps heartbeating while idle: lastSeen advances every interval and it stays online well past 3 intervals', async () => {
    const agentId = 'a5'.repeat(16);
    const heartbeatMs = 1000;
    const agent = fabric.agent(agentId, ['--capability', 'idle-beat', '--', 'true'], { LOOMINAL_HEARTBEAT_MS: String(heartbeatMs) });
    const first = await until(() => fabric.registry.get(agentId), () => `registration; stderr: ${agent.output.stderr}`);
    expect(first.heartbeatMs).toBe(heartbeatMs);
    // Watch for 5 intervals: an agent that registered once and went quiet would read offline after 3.
    const lastSeens = new Set<string>([first.lastSeen]);
    const statuses = new Set<string>();
    const watchUntil = Date.now() + 5 * heartbeatMs;
    while (Date.now() < watchUntil) {
      const entry = await fabric.registry.get(agentId);
      statuses.add(entry?.status ?? 'missing');
      if (entry) lastSeens.add(entry.lastSeen);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect([...statuses]).toEqual(['online']);
    // At least 3 heartbeats after registration (5 intervals leave room for a late timer on a busy machine).
    expect(lastSeens.size).toBeGreaterThanOrEqual(4);
    const latest = await fabric.registry.get(agentId);
    expect(Date.parse(latest!.lastSeen) - Date.parse(first.lastSeen)).toBeGreaterThanOrEqual(3 * heartbeatMs - 100);
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toEqual({ code: 0, signal: null });
  });

  it('answers a shutdown request on loom.<p>.control.<agentId>.shutdown, then exits with code 0 and deregisters', async () => {
    const agentId = 'a2'.repeat(16);
    // Asked the moment its registration shows (weft may do just that): the agent listens before it registers.
    const asked = new Promise<unknown>((resolve, reject) => {
      const off = fabric.registry.onChange((entry, id) => {
        if (id !== agentId || !entry) return;
        off();
        nc.request(createNames(fabric.projectId).controlSubject(agentId, 'shutdown'), '', { timeout: 5000 }).then((reply) => resolve(reply.json()), reject);
      });
    });
    const agent = fabric.agent(agentId, ['--capability', 'idle', '--', 'true']);
    expect(await asked).toEqual({ ok: true, agentId, running: 0 });
    expect(await agent.exited).toEqual({ code: 0, signal: null });
    expect(await fabric.registry.get(agentId)).toBeNull();
  });

  it('on SIGTERM lets a running command finish and completes its item before exiting', async () => {
    const agentId = 'a3'.repeat(16);
    const agent = fabric.agent(agentId, ['--capability', 'finish', '--', 'sh', '-c', 'sleep 1; echo finished']);
    await until(() => fabric.registry.get(agentId), () => `registration; stderr: ${agent.output.stderr}`);
    await fabric.queue.offer(offerFor('finish-1', 'finish'));
    await until(claimedBy('finish-1', agentId), () => 'claim of finish-1');
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toEqual({ code: 0, signal: null });
    expect(await fabric.queue.completion('finish-1')).toMatchObject({ agentId, result: 'finished\n' });
  });

  it('when the grace period runs out, stops the command and gives the item back without spending an attempt', async () => {
    const agentId = 'a4'.repeat(16);
    const agent = fabric.agent(agentId, ['--capability', 'stuck', '--grace-ms', '200', '--', 'sleep', '30']);
    await until(() => fabric.registry.get(agentId), () => `registration; stderr: ${agent.output.stderr}`);
    await fabric.queue.offer(offerFor('stuck-1', 'stuck'));
    await until(claimedBy('stuck-1', agentId), () => 'claim of stuck-1');
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toEqual({ code: 0, signal: null });
    const again = await fabric.queue.claim('stuck', { agentId: 'f'.repeat(32), timeoutMs: 5000 });
    expect(again?.item).toMatchObject({ workId: 'stuck-1', attempt: 1, errors: [] });
    await fabric.queue.complete('stuck-1', 'f'.repeat(32), 'done by the test');
  });

  it('an item held by an agent killed with SIGKILL is completed by another agent after the lease', async () => {
    const doomedId = 'b1'.repeat(16);
    const doomed = fabric.agent(doomedId, ['--capability', 'crash', '--', 'sleep', '60']);
    await until(() => fabric.registry.get(doomedId), () => `registration; stderr: ${doomed.output.stderr}`);
    await fabric.queue.offer(offerFor('crash-1', 'crash'));
    await until(claimedBy('crash-1', doomedId), () => 'claim of crash-1');
    process.kill(-doomed.child.pid!, 'SIGKILL');
    await doomed.exited;

    const rescuerId = 'b2'.repeat(16);
    const rescuer = fabric.agent(rescuerId, ['--capability', 'crash', '--', 'sh', '-c', 'echo "rescued $LOOM_WORK_ID on attempt $LOOM_WORK_ATTEMPT"']);
    const done = await until(() => fabric.queue.completion('crash-1'), () => `completion of crash-1; stderr: ${rescuer.output.stderr}`, 30_000);
    expect(done).toMatchObject({ agentId: rescuerId, attempt: 2, result: 'rescued crash-1 on attempt 2\n' });
  });
});
