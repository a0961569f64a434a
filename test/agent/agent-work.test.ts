// `loom agent` running real commands: stdout completes, stderr fails into the DLQ, leases are extended while it runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offerFor, startAgentFabric, until, type AgentFabric } from './agent-harness.js';

let fabric: AgentFabric;

beforeAll(async () => {
  fabric = await startAgentFabric('agent-work');
});

afterAll(async () => {
  await fabric?.stop();
});

describe('loom agent works items with a real command', () => {
  it('registers, gets the item on stdin and in LOOM_WORK_* env, and completes it with stdout', async () => {
    const agentId = '1'.repeat(32);
    const script = 'cat; echo; echo "id=$LOOM_WORK_ID cap=$LOOM_WORK_CAPABILITY attempt=$LOOM_WORK_ATTEMPT desc=$LOOM_WORK_DESCRIPTION"; echo "$LOOM_WORK_JSON" | grep -c "$LOOM_WORK_ID"';
    const agent = fabric.agent(agentId, ['--capability', 'echo', '--capability', 'shout', '--agent-type', 'shell', '--', 'sh', '-c', script]);
    const entry = await until(() => fabric.registry.get(agentId), () => `agent registration; stderr: ${agent.output.stderr}`);
    expect(entry).toMatchObject({ agentType: 'shell', capabilities: ['echo', 'shout'] });

    await fabric.queue.offer(offerFor('hello-1', 'shout', 'say hello'));
    const done = await until(() => fabric.queue.completion('hello-1'), () => `completion of hello-1; stderr: ${agent.output.stderr}`);
    expect(done.agentId).toBe(agentId);
    const stdout = String(done.result);
    const [stdinLine, envLine, jsonCount] = stdout.trim().split('\n');
    expect(JSON.parse(stdinLine!)).toMatchObject({ workId: 'hello-1', capability: 'shout', description: 'say hello', attempt: 1, errors: [], leaseExpiresAt: expect.any(String) });
    expect(envLine).toBe('id=hello-1 cap=shout attempt=1 desc=say hello');
    expect(jsonCount).toBe('1');
    // The item was reported started before its command ran, so its first progress event precedes the completion.
    await until(() => fabric.events.find((e) => e.workId === 'hello-1' && e.type === 'completed'), () => 'the completed event of hello-1');
    const ofItem = fabric.events.filter((e) => e.workId === 'hello-1').map((e) => `${e.type}${e.note === 'started' ? ':started' : ''}`);
    expect(ofItem.indexOf('progress:started')).toBeGreaterThan(ofItem.indexOf('claimed'));
    expect(ofItem.indexOf('progress:started')).toBeLessThan(ofItem.indexOf('completed'));
  });

  it('registers with the target that started it (LOOMINAL_STARTED_BY), and refuses a value that is not a target id', async () => {
    const agentId = '4'.repeat(32);
    const agent = fabric.agent(agentId, ['--capability', 'spun', '--', 'true'], { LOOMINAL_STARTED_BY: 'gpu_pool-2' });
    const entry = await until(() => fabric.registry.get(agentId), () => `agent registration; stderr: ${agent.output.stderr}`);
    expect(entry.startedBy).toBe('gpu_pool-2');
    agent.child.kill('SIGTERM');
    await agent.exited;

    const bad = fabric.agent('5'.repeat(32), ['--capability', 'spun', '--', 'true'], { LOOMINAL_STARTED_BY: 'pool.*' });
    expect((await bad.exited).code).not.toBe(0);
    expect(bad.output.stderr).toContain('LOOM_ERR_INVALID_NAME: LOOMINAL_STARTED_BY must be a lowercase token');
    expect(await fabric.registry.get('5'.repeat(32))).toBeNull();
  });

  it('extends the lease while a command runs longer than the lease, so the item is delivered once', async () => {
    const agentId = '3'.repeat(32);
    const agent = fabric.agent(agentId, ['--capability', 'slow', '--', 'sh', '-c', 'sleep 4; echo slept']);
    await until(() => fabric.registry.get(agentId), () => `agent registration; stderr: ${agent.output.stderr}`);
    await fabric.queue.offer(offerFor('slow-1', 'slow'));
    const done = await until(() => fabric.queue.completion('slow-1'), () => `completion of slow-1; stderr: ${agent.output.stderr}`, 40_000);
    expect(done).toMatchObject({ agentId, attempt: 1, result: 'slept\n' });
    await until(() => fabric.events.find((e) => e.workId === 'slow-1' && e.type === 'completed'), () => 'the completed event of slow-1');
    // Besides the "started" report, a lease extension happened while the command ran.
    expect(fabric.events.some((e) => e.workId === 'slow-1' && e.type === 'progress' && e.note !== 'started')).toBe(true);
    expect(fabric.events.filter((e) => e.workId === 'slow-1' && e.type === 'claimed')).toHaveLength(1);
  });

  it('fails an item with the command stderr, and after maxDeliver it is in the DLQ with every error', async () => {
    const agentId = '2'.repeat(32);
    const agent = fabric.agent(agentId, ['--capability', 'breaker', '--', 'sh', '-c', 'echo "cannot do $LOOM_WORK_ID" >&2; exit 3']);
    await until(() => fabric.registry.get(agentId), () => `agent registration; stderr: ${agent.output.stderr}`);
    await fabric.queue.offer(offerFor('broken-1', 'breaker'));
    const dead = await until(async () => (await fabric.queue.listDeadLetters({ capability: 'breaker', limit: 10 })).items[0], () => `dead letter of broken-1; stderr: ${agent.output.stderr}`);
    expect(dead).toMatchObject({ workId: 'broken-1', attempt: 3 });
    expect(dead.errors).toHaveLength(3);
    for (const [index, error] of dead.errors.entries()) {
      expect(error).toMatchObject({ agentId, attempt: index + 1 });
      expect(error.error).toContain('cannot do broken-1');
      expect(error.error).toContain('code 3');
    }
    expect(await fabric.queue.completion('broken-1')).toBeNull();
  });
});
