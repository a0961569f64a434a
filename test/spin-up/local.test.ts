// spin-up:local through the manager: the started `loom agent` registers, completes the waiting item, and is scaled down when idle.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../core/log.js';
import { localSpinUp } from '../../plugins/spin-up/local/index.js';
import { FAST_ENV, isAlive, needFor, startSpinUpFabric, until, type SpinUpFabric } from './harness.js';

const IDLE_MS = 1_500;
let fabric: SpinUpFabric;

beforeAll(async () => {
  fabric = await startSpinUpFabric({ projectId: 'spin-local', plugins: [localSpinUp], managerOptions: { idleTimeoutMs: IDLE_MS, shutdownGraceMs: 5_000 } });
});
afterAll(async () => {
  await fabric?.stop();
});

const agentCommand = (capability: string, script: string) => ['loom', 'agent', '--capability', capability, '--grace-ms', '0', '--', 'sh', '-c', script];
const localTarget = (id: string, capability: string, script: string) =>
  fabric.target({ id, mechanism: 'local', capabilities: [capability], config: { command: agentCommand(capability, script), cwd: fabric.dir, env: FAST_ENV, logDir: join(fabric.dir, 'logs'), stopGraceMs: 2_000 } });

describe('spin-up:local', () => {
  it('starts `loom agent` with the agent id weft chose; the agent registers, claims the waiting item and completes it', async () => {
    const target = await localTarget('laptop', 'local-a', 'echo "done $LOOM_WORK_ID by $LOOMINAL_AGENT_ID"');
    await fabric.offer('item-a1', 'local-a');
    const attempt = await fabric.service.request(needFor(fabric.projectId, 'item-a1', 'local-a', [target]));
    expect(attempt).toMatchObject({ outcome: 'started', targetId: 'laptop', mechanism: 'local', workId: 'item-a1', capability: 'local-a' });
    const agentId = attempt.agentId!;
    expect(agentId).toMatch(/^[0-9a-f]{32}$/);

    const entry = await until(() => fabric.registry.get(agentId), () => `agent ${agentId} to register\n${fabric.logs()}`);
    expect(entry.capabilities).toEqual(['local-a']);
    // The agent got LOOMINAL_STARTED_BY from the mechanism and says in the registry which target started it.
    expect(entry.startedBy).toBe('laptop');
    const done = await until(() => fabric.queue.completion('item-a1'), () => `item-a1 to complete\n${fabric.logs()}`);
    expect(done.agentId).toBe(agentId);
    expect(done.result).toBe(`done item-a1 by ${agentId}\n`);

    const [recorded] = await fabric.service.listAttempts!(fabric.projectId, { targetId: 'laptop' });
    expect(recorded).toMatchObject({ operationId: attempt.operationId, outcome: 'started', agentId });
    expect(recorded!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('an idle agent it started gets a shutdown request, exits, and is torn down; its attempt says so', async () => {
    const target = await localTarget('idle-box', 'local-b', 'echo ok');
    await fabric.offer('item-b1', 'local-b');
    const attempt = await fabric.service.request(needFor(fabric.projectId, 'item-b1', 'local-b', [target]));
    expect(attempt.outcome).toBe('started');
    await until(() => fabric.queue.completion('item-b1'), () => `item-b1 to complete\n${fabric.logs()}`);
    const [spawned] = await fabric.service.listSpawned!(fabric.projectId, { targetId: 'idle-box' });
    const pid = Number(spawned!.handle.pid);
    expect(isAlive(pid)).toBe(true);

    const stopped = await until(async () => (await fabric.service.listAttempts!(fabric.projectId, { targetId: 'idle-box' })).find((a) => a.stoppedAt), () => 'the idle agent to be torn down', 20_000);
    expect(stopped.stopReason).toMatch(/^idle past the idle timeout; shut down on request; torn down by local$/);
    expect(await fabric.service.listSpawned!(fabric.projectId, { targetId: 'idle-box' })).toEqual([]);
    await until(() => !isAlive(pid), () => `pid ${pid} to exit`, 10_000);
    expect(await fabric.registry.get(attempt.agentId!)).toBeNull();
  });

  it('never stops an agent while it works, however far past the idle timeout, and stops it once idle', async () => {
    const target = await localTarget('busy-box', 'local-c', 'sleep 4; echo slow-done');
    await fabric.offer('item-c1', 'local-c');
    const attempt = await fabric.service.request(needFor(fabric.projectId, 'item-c1', 'local-c', [target]));
    const agentId = attempt.agentId!;
    await until(async () => (await fabric.registry.get(agentId))?.currentTaskCount === 1, () => 'the agent to hold the item');
    // The manager notices the registration at its next check (checkMs); the agent may hold the item before that.
    await until(async () => (await fabric.service.listSpawned!(fabric.projectId, { targetId: 'busy-box' }))[0]?.state === 'running', () => 'the manager to see the agent running');
    const busySince = Date.now();
    // Well past the idle timeout while the command runs: the agent is still there and still holds the item.
    while (Date.now() - busySince < IDLE_MS * 2) {
      const [spawned] = await fabric.service.listSpawned!(fabric.projectId, { targetId: 'busy-box' });
      expect(spawned?.state).toBe('running');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const done = await until(() => fabric.queue.completion('item-c1'), () => `item-c1 to complete\n${fabric.logs()}`);
    expect(done).toMatchObject({ agentId, result: 'slow-done\n' });
    await until(async () => (await fabric.service.listSpawned!(fabric.projectId, { targetId: 'busy-box' })).length === 0, () => 'the agent to be scaled down after its work', 20_000);
  });

  it('stop sends SIGTERM and, after the grace period, SIGKILL to a process that ignores SIGTERM', async () => {
    const mechanism = fabric.kernel.registries.spinUps.get('local');
    const target = mechanism.targetSchema.parse({ command: ['sh', '-c', 'trap "" TERM; while true; do sleep 1; done'], stopGraceMs: 300 });
    const { handle } = await mechanism.start({ operationId: 'op-stubborn', projectId: fabric.projectId, targetId: 'stubborn', target, env: { LOOMINAL_AGENT_ID: 'b'.repeat(32) }, withheldEnv: [], signal: new AbortController().signal, log: createSilentLogger() });
    expect(handle).toMatchObject({ agentId: 'b'.repeat(32) });
    const pid = Number(handle.pid);
    expect(isAlive(pid)).toBe(true);
    await mechanism.stop!({ handle, target, log: createSilentLogger() });
    await until(() => !isAlive(pid), () => `pid ${pid} to be killed`, 5_000);
  });

  it("withholds weft's REST tokens and every variable a target names as a secret source; keeps the rest", async () => {
    Object.assign(process.env, { API_TOKENS: 'rest-token-0001', LOOM_TEST_GH_SECRET: 'gh-secret-0002', LOOM_TEST_HOOK_SECRET: 'hook-secret-0003', LOOM_TEST_SSH_KEY: 'ssh-key-0004', LOOM_TEST_PLAIN: 'plain-0005' });
    try {
      // Other targets of the project (their mechanisms need not be loaded here) name where their secrets come from.
      await fabric.target({ id: 'gha', mechanism: 'github-actions', config: { owner: 'o', repo: 'r', workflow: 'w.yml', tokenEnv: 'LOOM_TEST_GH_SECRET' } });
      await fabric.target({ id: 'hook', mechanism: 'webhook', config: { url: 'https://example.invalid/', headers: { authorization: 'Bearer {{env.LOOM_TEST_HOOK_SECRET}}' } } });
      await fabric.target({ id: 'box', mechanism: 'ssh', config: { host: 'h', user: 'u', privateKeyEnv: 'LOOM_TEST_SSH_KEY', command: ['loom'] } });
      const target = await localTarget('secretive', 'local-e', 'echo "api=${API_TOKENS:-none} gh=${LOOM_TEST_GH_SECRET:-none} hook=${LOOM_TEST_HOOK_SECRET:-none} ssh=${LOOM_TEST_SSH_KEY:-none} plain=${LOOM_TEST_PLAIN:-none} home=${HOME:+set}"');
      await fabric.offer('item-e1', 'local-e');
      const attempt = await fabric.service.request(needFor(fabric.projectId, 'item-e1', 'local-e', [target]));
      expect(attempt.outcome).toBe('started');
      const done = await until(() => fabric.queue.completion('item-e1'), () => `item-e1 to complete\n${fabric.logs()}`);
      expect(done.result).toBe('api=none gh=none hook=none ssh=none plain=plain-0005 home=set\n');
    } finally {
      for (const name of ['API_TOKENS', 'LOOM_TEST_GH_SECRET', 'LOOM_TEST_HOOK_SECRET', 'LOOM_TEST_SSH_KEY', 'LOOM_TEST_PLAIN']) delete process.env[name];
    }
  });

  it('its health check says whether the command can run', async () => {
    const good = await fabric.service.test(await localTarget('healthy', 'local-d', 'true'));
    expect(good).toEqual({ ok: true, detail: 'loom (this CLI) is executable' });
    const bad = await fabric.service.test(await fabric.target({ id: 'broken', mechanism: 'local', config: { command: ['no-such-binary-here'] } }));
    expect(bad).toEqual({ ok: false, detail: 'command[0]: no-such-binary-here is not an executable file or on PATH' });
  });
});
