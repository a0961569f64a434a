// The spin-up manager's rules: one start per need within maxConcurrent, cooldown, veto and observe hooks, failures,
// timeouts, deferred needs, restart safety, teardown of agents that never register or do not answer a shutdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNames, definePlugin, spinUpService, storageService, type SpinUpOutcome } from '../../core/index.js';
import { createTestKernel } from '../../core/testing/kernel.js';
import { natsKvStorage } from '../../plugins/storage/nats-kv/index.js';
import { registryServicePlugin } from '../../plugins/services/registry/index.js';
import { workEventsPlugin } from '../../plugins/services/work-events/index.js';
import { workQueuePlugin } from '../../plugins/services/work-queue/index.js';
import { spinUpManager } from '../../plugins/spin-up-manager/index.js';
import { FAST_ENV, needFor, startSpinUpFabric, until, type SpinUpFabric } from './harness.js';
import { createTestMechanism } from './test-mechanism.js';

const { plugin: fake, log } = createTestMechanism();
const outcomes: SpinUpOutcome[] = [];
const policy = definePlugin({
  name: 'policy:budget',
  setup(ctx) {
    ctx.hooks.beforeSpinUp.tap(async (event) => (event.targetId === 'expensive' ? `${event.targetId} is over this month's budget` : undefined));
    ctx.hooks.afterSpinUp.tap(async (outcome) => void outcomes.push(outcome));
  },
});

let fabric: SpinUpFabric;
beforeAll(async () => {
  fabric = await startSpinUpFabric({ projectId: 'spin-rules', plugins: [fake, policy], managerOptions: { registerTimeoutMs: 2_500, startTimeoutMs: 500, idleTimeoutMs: 1_000, shutdownGraceMs: 1_000 } });
  log.registry = fabric.registry;
});
afterAll(async () => {
  await fabric?.stop();
});

const startsOf = (targetId: string) => log.starts.filter((s) => s.targetId === targetId);
const offerMany = async (prefix: string, capability: string, n: number) => {
  const ids = Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);
  for (const id of ids) await fabric.offer(id, capability);
  return ids;
};

describe('the spin-up manager', () => {
  it('ten waiting items for one capability start maxConcurrent agents, not ten, and never more at once', async () => {
    const target = await fabric.target({ id: 'pool', mechanism: 'fake', capabilities: ['pool-cap'], maxConcurrent: 3, config: {} });
    const ids = await offerMany('pool', 'pool-cap', 10);
    const attempts = await Promise.all(ids.map((id) => fabric.service.request(needFor(fabric.projectId, id, 'pool-cap', [target]))));
    expect(attempts.filter((a) => a.outcome === 'started')).toHaveLength(3);
    expect(attempts.filter((a) => a.outcome === 'at-capacity')).toHaveLength(7);
    expect(attempts.find((a) => a.outcome === 'at-capacity')?.detail).toBe('target pool runs 3 agent(s) it started; maxConcurrent is 3');
    // Skips reach afterSpinUp too, each once, with the outcome the request was answered with.
    expect(outcomes.filter((o) => o.targetId === 'pool' && o.outcome === 'at-capacity')).toHaveLength(7);
    expect(startsOf('pool')).toHaveLength(3);
    // Every started agent got its own id and the project's env.
    expect(new Set(startsOf('pool').map((s) => s.agentId)).size).toBe(3);
    expect(startsOf('pool')[0]!.env).toMatchObject({ LOOMINAL_PROJECT_ID: 'spin-rules', LOOMINAL_STARTED_BY: 'pool', NATS_URL: fabric.nats.url });

    // The pretend agents never register: after registerTimeoutMs they are torn down and deferred needs take their slots.
    await until(() => startsOf('pool').length >= 6, () => `deferred needs to start agents once slots free (starts: ${startsOf('pool').length})`, 15_000);
    expect(log.stops.filter((s) => s.handle.targetId === 'pool').length).toBeGreaterThanOrEqual(3);
    expect(log.maxLive.get('pool')).toBe(3);
    const attemptsNow = await fabric.service.listAttempts!(fabric.projectId, { targetId: 'pool', limit: 1000 });
    const reaped = attemptsNow.filter((a) => a.stopReason?.startsWith('never registered within 2500 ms'));
    expect(reaped.length).toBeGreaterThanOrEqual(3);
  });

  it('ten items with room for twenty start ten agents, one per item', async () => {
    const target = await fabric.target({ id: 'wide', mechanism: 'fake', capabilities: ['wide-cap'], maxConcurrent: 20, config: {} });
    const ids = await offerMany('wide', 'wide-cap', 10);
    const attempts = await Promise.all(ids.map((id) => fabric.service.request(needFor(fabric.projectId, id, 'wide-cap', [target]))));
    expect(attempts.map((a) => a.outcome)).toEqual(Array(10).fill('started'));
    expect(startsOf('wide').map((s) => s.workId).sort()).toEqual([...ids].sort());
  });

  it('the same need asked again, even by a restarted weft, does not start a second agent', async () => {
    const target = await fabric.target({ id: 'once', mechanism: 'fake', capabilities: ['once-cap'], maxConcurrent: 5, config: {} });
    await fabric.offer('once-1', 'once-cap');
    const first = await fabric.service.request(needFor(fabric.projectId, 'once-1', 'once-cap', [target]));
    const again = await fabric.service.request(needFor(fabric.projectId, 'once-1', 'once-cap', [target]));
    expect(first.outcome).toBe('started');
    expect(again).toMatchObject({ operationId: first.operationId, outcome: 'started', agentId: first.agentId });
    expect(again.detail).toMatch(/^work once-1 already had a spin-up request \(served\); not starting another agent for it/);

    // A second manager on the same NATS (weft restarted) reads the need from KV.
    const restarted = await createTestKernel({
      plugins: [natsKvStorage, registryServicePlugin, workEventsPlugin, workQueuePlugin, spinUpManager, fake],
      config: { nats: { url: fabric.nats.url } },
      env: { LOOMINAL_PROJECT_ID: 'spin-rules', ...FAST_ENV },
      cwd: fabric.dir,
    });
    try {
      const afterRestart = await restarted.use(spinUpService).request(needFor(fabric.projectId, 'once-1', 'once-cap', [target]));
      expect(afterRestart.operationId).toBe(first.operationId);
    } finally {
      await restarted.stop();
    }
    expect(startsOf('once')).toHaveLength(1);
  });

  it('a manual spin-up for a work item goes through its need: asked twice, it starts one agent', async () => {
    const target = await fabric.target({ id: 'manual', mechanism: 'fake', capabilities: ['manual-cap'], maxConcurrent: 5, config: {} });
    await fabric.offer('manual-1', 'manual-cap');
    const first = await fabric.service.spinUp(target, { reason: 'shuttle subtask', workId: 'manual-1' });
    const again = await fabric.service.spinUp(target, { reason: 'a second shuttle', workId: 'manual-1' });
    expect(first).toMatchObject({ outcome: 'started', workId: 'manual-1', capability: 'manual-cap' });
    expect(again).toMatchObject({ operationId: first.operationId, outcome: 'started' });
    expect(again.detail).toMatch(/^work manual-1 already had a spin-up request \(served\)/);
    expect(startsOf('manual')).toHaveLength(1);
  });

  it('a start left behind by a weft that died in start() is cleared: failure recorded, no cooldown, and the need is served', async () => {
    await fabric.target({ id: 'orphaned', mechanism: 'fake', capabilities: ['orphan-cap'], maxConcurrent: 1, cooldownMs: 600_000, config: {} });
    await fabric.offer('orphan-1', 'orphan-cap');
    // What a weft killed during start() leaves in KV: a pending need, a starting record without a handle, the cooldown mark.
    const names = createNames(fabric.projectId);
    const storage = fabric.kernel.use(storageService);
    const history = await storage.openBucket({ name: names.weftSpinUpsBucket, ttlMs: 7 * 24 * 3_600_000 });
    const spawned = await storage.openBucket({ name: names.weftSpawnedBucket });
    const long = new Date(Date.now() - 20_000).toISOString();
    await history.put('need.orphan-1', { workId: 'orphan-1', projectId: fabric.projectId, capability: 'orphan-cap', agentTypes: [], reason: 'no eligible online agent', candidateIds: ['orphaned'], state: 'pending', failures: 0, createdAt: long, updatedAt: long });
    await history.put('deferred.orphan-1', { workId: 'orphan-1' });
    await history.put('last.orphaned', { at: long, operationId: 'orphan-op' });
    const orphan = 'o'.repeat(32);
    await spawned.put(orphan, { agentId: orphan, projectId: fabric.projectId, targetId: 'orphaned', mechanism: 'fake', operationId: 'orphan-op', capability: 'orphan-cap', workId: 'orphan-1', state: 'starting', handle: {}, config: { mode: 'quiet', capability: 'work' }, startedAt: long });

    // The next weft to act starts from KV.
    const restarted = await createTestKernel({
      plugins: [natsKvStorage, registryServicePlugin, workEventsPlugin, workQueuePlugin, spinUpManager, fake],
      config: { nats: { url: fabric.nats.url } },
      env: { LOOMINAL_PROJECT_ID: 'spin-rules', ...FAST_ENV, LOOMINAL_SPIN_UP_CHECK_MS: '100', LOOMINAL_SPIN_UP_START_TIMEOUT_MS: '500' },
      cwd: fabric.dir,
    });
    try {
      const started = await until(() => startsOf('orphaned').find((s) => s.workId === 'orphan-1'), () => 'the abandoned need to be started again', 15_000);
      const service = restarted.use(spinUpService);
      // start() is seen as soon as it is called; its attempt is recorded after it returns.
      const attempts = await until(async () => {
        const all = await service.listAttempts!(fabric.projectId, { targetId: 'orphaned' });
        return all.some((a) => a.operationId === started.operationId) && all;
      }, () => 'the new start to be recorded', 15_000);
      expect(attempts.find((a) => a.operationId === 'orphan-op')).toMatchObject({ outcome: 'failed', workId: 'orphan-1', agentId: orphan, error: expect.stringMatching(/^weft stopped during start\(\)/) });
      expect(attempts.find((a) => a.operationId === started.operationId)).toMatchObject({ outcome: 'started', workId: 'orphan-1' });
      expect((await service.listSpawned!(fabric.projectId, { targetId: 'orphaned' })).map((a) => a.agentId)).toEqual([started.agentId]);
      expect((await history.get<{ state: string }>('need.orphan-1'))?.value.state).toBe('served');
      expect(await history.get('deferred.orphan-1')).toBeNull();
      expect(startsOf('orphaned')).toHaveLength(1);
    } finally {
      await restarted.stop();
    }
  });

  it('a target in its cooldown starts nothing; the waiting need is started once the cooldown is over', async () => {
    const target = await fabric.target({ id: 'slow', mechanism: 'fake', capabilities: ['slow-cap'], maxConcurrent: 5, cooldownMs: 1_500, config: {} });
    await offerMany('slow', 'slow-cap', 2);
    const first = await fabric.service.request(needFor(fabric.projectId, 'slow-1', 'slow-cap', [target]));
    const second = await fabric.service.request(needFor(fabric.projectId, 'slow-2', 'slow-cap', [target]));
    expect(first.outcome).toBe('started');
    expect(second.outcome).toBe('cooldown');
    expect(second.detail).toMatch(/^target slow started an agent \d+ s ago; its cooldown is 2 s$/);
    expect(startsOf('slow')).toHaveLength(1);
    const later = await until(() => startsOf('slow').find((s) => s.workId === 'slow-2'), () => 'the deferred need to start after the cooldown', 10_000);
    const firstAt = Date.parse((await fabric.service.listAttempts!(fabric.projectId, { targetId: 'slow' })).find((a) => a.workId === 'slow-1')!.at);
    const secondAt = Date.parse((await fabric.service.listAttempts!(fabric.projectId, { targetId: 'slow' })).find((a) => a.operationId === later.operationId)!.at);
    expect(secondAt - firstAt).toBeGreaterThanOrEqual(1_500);
  });

  it('a beforeSpinUp tap vetoes a target (the next candidate starts) and afterSpinUp sees every outcome', async () => {
    const expensive = await fabric.target({ id: 'expensive', mechanism: 'fake', capabilities: ['veto-cap'], maxConcurrent: 5, config: {} });
    const cheap = await fabric.target({ id: 'cheap', mechanism: 'fake', capabilities: ['veto-cap'], maxConcurrent: 5, config: {} });
    await fabric.offer('veto-1', 'veto-cap');
    const attempt = await fabric.service.request(needFor(fabric.projectId, 'veto-1', 'veto-cap', [expensive, cheap]));
    expect(attempt).toMatchObject({ outcome: 'started', targetId: 'cheap' });
    expect(startsOf('expensive')).toHaveLength(0);
    const recorded = await fabric.service.listAttempts!(fabric.projectId);
    expect(recorded.find((a) => a.targetId === 'expensive' && a.workId === 'veto-1')).toMatchObject({ outcome: 'vetoed', error: "expensive is over this month's budget" });
    expect(outcomes.find((o) => o.targetId === 'expensive')).toMatchObject({ outcome: 'vetoed', ok: false, error: "expensive is over this month's budget", mechanism: 'fake' });
    expect(outcomes.find((o) => o.operationId === attempt.operationId)).toMatchObject({ outcome: 'started', ok: true, targetId: 'cheap', projectId: 'spin-rules' });
  });

  it('a mechanism that fails or hangs is a recorded failure with its error, and its slot is free again', async () => {
    const broken = await fabric.target({ id: 'broken', mechanism: 'fake', capabilities: ['fail-cap'], config: { mode: 'fail' } });
    const stuck = await fabric.target({ id: 'stuck', mechanism: 'fake', capabilities: ['fail-cap'], config: { mode: 'hang' } });
    await fabric.offer('fail-1', 'fail-cap');
    const failed = await fabric.service.request(needFor(fabric.projectId, 'fail-1', 'fail-cap', [broken]));
    expect(failed).toMatchObject({ outcome: 'failed', error: 'cannot start an agent on broken: the pretend host is down' });
    const hung = await fabric.service.spinUp(stuck, { reason: 'manual test' });
    expect(hung).toMatchObject({ outcome: 'failed', error: 'LOOM_ERR_TIMEOUT: target stuck: fake start did not finish within 500 ms', reason: 'manual test' });
    expect(hung.durationMs).toBeGreaterThanOrEqual(500);
    // The hung start was aborted and failed late: nothing stays counted against the targets.
    await until(async () => (await fabric.service.listSpawned!(fabric.projectId, { targetId: 'stuck' })).length === 0, () => 'the hung start to free its slot');
    expect(await fabric.service.listSpawned!(fabric.projectId, { targetId: 'broken' })).toEqual([]);
  });

  it('a need with no candidate target is recorded as no-target', async () => {
    const attempt = await fabric.service.request(needFor(fabric.projectId, 'lonely-1', 'nobody-cap', []));
    expect(attempt).toMatchObject({ outcome: 'no-target', workId: 'lonely-1', capability: 'nobody-cap' });
    expect((await fabric.service.listAttempts!(fabric.projectId)).find((a) => a.workId === 'lonely-1')?.outcome).toBe('no-target');
  });

  it('an idle agent that does not answer the shutdown request is torn down by its mechanism', async () => {
    const target = await fabric.target({ id: 'deaf', mechanism: 'fake', capabilities: ['deaf-cap'], config: { mode: 'register', capability: 'deaf-cap' } });
    const attempt = await fabric.service.spinUp(target, { reason: 'manual test' });
    expect(attempt).toMatchObject({ outcome: 'started', capability: 'deaf-cap' });
    const stop = await until(() => log.stops.find((s) => s.agentId === attempt.agentId), () => 'the mechanism to be asked to stop the idle agent', 15_000);
    expect(stop.handle).toEqual({ targetId: 'deaf', agentId: attempt.agentId });
    // The attempt notes why it stopped once the mechanism's stop() has returned, a moment after stop() was called.
    const recorded = await until(async () => (await fabric.service.listAttempts!(fabric.projectId, { targetId: 'deaf' })).find((a) => a.stoppedAt), () => 'the attempt to record the teardown', 15_000);
    // Only a registered, idle agent is sent a shutdown request: this reason says it was one and did not answer.
    expect(recorded.stopReason).toBe('idle past the idle timeout; did not answer the shutdown request; torn down by fake');
    expect(await fabric.registry.get(attempt.agentId!)).toBeNull();
  });

  it('its health test reports an unknown mechanism and a bad config by field', async () => {
    expect(await fabric.service.test(await fabric.target({ id: 'ghost', mechanism: 'teleport', config: {} }))).toEqual({ ok: false, detail: expect.stringMatching(/^mechanism "teleport" is not loaded; known: fake/) });
    expect(await fabric.service.test(await fabric.target({ id: 'typo', mechanism: 'fake', config: { mode: 'sometimes' } }))).toEqual({ ok: false, detail: expect.stringMatching(/^config\.mode: /) });
    expect(await fabric.service.test(await fabric.target({ id: 'fine', mechanism: 'fake', config: {} }))).toEqual({ ok: true, detail: 'the config is valid; mechanism fake has no health check' });
  });
});
