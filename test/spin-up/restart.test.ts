// A restarted weft picks up the agents the previous one started (from KV): it neither starts them again nor forgets
// to scale them down.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKernel, createLogger, parseConfig, spinUpService, type Kernel } from '../../core/index.js';
import { natsKvStorage } from '../../plugins/storage/nats-kv/index.js';
import { registryServicePlugin } from '../../plugins/services/registry/index.js';
import { workEventsPlugin } from '../../plugins/services/work-events/index.js';
import { workQueuePlugin } from '../../plugins/services/work-queue/index.js';
import { spinUpManager } from '../../plugins/spin-up-manager/index.js';
import { localSpinUp } from '../../plugins/spin-up/local/index.js';
import { FAST_ENV, isAlive, needFor, startSpinUpFabric, until, type SpinUpFabric } from './harness.js';

let fabric: SpinUpFabric;
let second: Kernel | undefined;

beforeAll(async () => {
  // The first weft would wait a minute before scaling down; it is stopped long before that.
  fabric = await startSpinUpFabric({ projectId: 'spin-restart', plugins: [localSpinUp], managerOptions: { idleTimeoutMs: 60_000 } });
});
afterAll(async () => {
  await second?.stop();
  await fabric?.stop();
});

describe('a restarted spin-up manager', () => {
  it('scales down an agent the previous weft started and does not start another for the same need', async () => {
    const target = await fabric.target({
      id: 'laptop',
      mechanism: 'local',
      capabilities: ['restart-cap'],
      config: { command: ['loom', 'agent', '--capability', 'restart-cap', '--grace-ms', '0', '--', 'sh', '-c', 'echo ok'], cwd: fabric.dir, env: FAST_ENV, logDir: join(fabric.dir, 'logs') },
    });
    await fabric.offer('restart-1', 'restart-cap');
    const first = await fabric.service.request(needFor(fabric.projectId, 'restart-1', 'restart-cap', [target]));
    expect(first.outcome).toBe('started');
    await until(() => fabric.queue.completion('restart-1'), () => `restart-1 to complete\n${fabric.logs()}`);
    const [spawned] = await fabric.service.listSpawned!(fabric.projectId);
    const pid = Number(spawned!.handle.pid);
    await fabric.kernel.stop();

    const env = { LOOMINAL_PROJECT_ID: 'other-project', LOOMINAL_AGENT_ID: 'c'.repeat(32), LOOMINAL_PRINCIPAL: 'tester@test', ...FAST_ENV };
    second = createKernel({
      config: parseConfig({ nats: { url: fabric.nats.url }, options: { 'service:spin-up': { idleTimeoutMs: 1_000, checkMs: 100 } } }, env),
      plugins: [natsKvStorage, registryServicePlugin, workEventsPlugin, workQueuePlugin, spinUpManager, localSpinUp].map((plugin, index) => ({ plugin, origin: `test plugins[${index}]` })),
      env,
      cwd: fabric.dir,
      log: createLogger({ level: 'silent' }),
    });
    await second.start();
    const service = second.use(spinUpService);
    // Its own project is another one: it finds spin-restart through the index of projects with started agents.
    const again = await service.request(needFor(fabric.projectId, 'restart-1', 'restart-cap', [target]));
    expect(again.operationId).toBe(first.operationId);
    const stopped = await until(async () => (await service.listAttempts!(fabric.projectId)).find((a) => a.operationId === first.operationId && a.stoppedAt), () => 'the restarted manager to scale the agent down', 20_000);
    expect(stopped.stopReason).toBe('idle past the idle timeout; shut down on request; torn down by local');
    await until(() => !isAlive(pid), () => `pid ${pid} to exit`, 10_000);
    expect(await service.listSpawned!(fabric.projectId)).toEqual([]);
  });
});
