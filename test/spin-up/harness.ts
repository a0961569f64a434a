// Shared setup of the spin-up tests: a real nats-server, a kernel with the queue, registry and spin-up manager, targets in KV.
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { Writable } from 'node:stream';
import {
  createKernel,
  createLogger,
  createNames,
  parseConfig,
  registryService,
  spinUpService,
  storageService,
  workQueueService,
  type Kernel,
  type LoomPlugin,
  type ProjectRegistry,
  type ProjectWorkQueue,
  type SpinUpService,
  type SpinUpTarget,
} from '../../core/index.js';
import { natsKvStorage } from '../../plugins/storage/nats-kv/index.js';
import { registryServicePlugin } from '../../plugins/services/registry/index.js';
import { workEventsPlugin } from '../../plugins/services/work-events/index.js';
import { workQueuePlugin } from '../../plugins/services/work-queue/index.js';
import { spinUpManager } from '../../plugins/spin-up-manager/index.js';

/** Short heartbeats, leases and polls, for the test kernel and every agent it starts. */
export const FAST_ENV = { LOOMINAL_HEARTBEAT_MS: '300', LOOMINAL_ACK_WAIT_MS: '3000', LOOMINAL_RETRY_DELAY_MS: '100', LOOMINAL_CLAIM_POLL_MS: '100', LOG_LEVEL: 'warn' };

export interface SpinUpFabric {
  nats: NatsServerHandle;
  kernel: Kernel;
  projectId: string;
  service: SpinUpService;
  queue: ProjectWorkQueue;
  registry: ProjectRegistry;
  /** A scratch directory (agents' cwd and logs). */
  dir: string;
  /** A target as weft stores it; also written to KV weft-<p>-targets (the manager re-reads targets from there). */
  target(fields: Partial<SpinUpTarget> & Pick<SpinUpTarget, 'id' | 'mechanism' | 'config'>): Promise<SpinUpTarget>;
  offer(workId: string, capability: string, description?: string): Promise<void>;
  /** The agents' log files, for a failure message. */
  logs(): string;
  /** Everything the test kernel (the manager and the mechanisms) logged, as JSON lines. */
  kernelLogs(): string;
  stop(): Promise<void>;
}

export async function startSpinUpFabric(options: { projectId: string; plugins?: LoomPlugin[]; managerOptions?: Record<string, unknown>; env?: Record<string, string> }): Promise<SpinUpFabric> {
  const nats = await startNatsServer();
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'loom-spin-up-')));
  // Logs are captured (debug and up), so a test can show that no secret ever reaches them.
  const lines: string[] = [];
  const capture = new Writable({ write: (chunk: Buffer, _enc, done) => void (lines.push(chunk.toString()), done()) });
  const env = { LOOMINAL_PROJECT_ID: options.projectId, LOOMINAL_AGENT_ID: 'a'.repeat(32), LOOMINAL_PRINCIPAL: 'tester@test', ...FAST_ENV, ...options.env };
  const kernel = createKernel({
    config: parseConfig({ nats: { url: nats.url }, options: { 'service:spin-up': { checkMs: 100, ...options.managerOptions } } }, env),
    plugins: [natsKvStorage, registryServicePlugin, workEventsPlugin, workQueuePlugin, spinUpManager, ...(options.plugins ?? [])].map((plugin, index) => ({ plugin, origin: `test plugins[${index}]` })),
    env,
    cwd: dir,
    log: createLogger({ level: 'debug', component: 'test-weft', destination: capture }),
  });
  await kernel.start();
  const { projectId } = options;
  const targets = await kernel.use(storageService).openBucket({ name: createNames(projectId).weftTargetsBucket });
  const service = kernel.use(spinUpService);
  const queue = kernel.use(workQueueService).forProject(projectId);
  return {
    nats,
    kernel,
    projectId,
    service,
    queue,
    registry: kernel.use(registryService).forProject(projectId),
    dir,
    async target(fields) {
      const now = new Date().toISOString();
      const target: SpinUpTarget = { projectId, agentType: 'worker', capabilities: ['work'], boundaries: [], enabled: true, maxConcurrent: 1, cooldownMs: 0, createdAt: now, updatedAt: now, ...fields };
      await targets.put(target.id, target);
      return target;
    },
    async offer(workId, capability, description = `work ${workId}`) {
      await queue.offer({ workId, description, capability, priority: 5, offeredBy: 'f'.repeat(32), scope: 'team' });
    },
    kernelLogs: () => lines.join(''),
    logs() {
      const logDir = join(dir, 'logs');
      try {
        return readdirSync(logDir).map((file) => `--- ${file}\n${readFileSync(join(logDir, file), 'utf8')}`).join('\n');
      } catch {
        return '(no agent logs)';
      }
    },
    async stop() {
      // Agents still running (a failed test) are ended by their process group, never by name.
      for (const agent of await service.listSpawned!(projectId).catch(() => [])) {
        const pid = Number(agent.handle.pid);
        if (Number.isInteger(pid) && pid > 1) {
          for (const target of [-pid, pid]) {
            try {
              process.kill(target, 'SIGKILL');
            } catch {
              // already gone, or not a process group leader (a pid started over ssh)
            }
          }
        }
      }
      await kernel.stop();
      await nats.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export { until } from '../../core/testing/poll.js';

export { isAlive } from '../../core/testing/loom-process.js';

/** A need as weft sends it when routing found no eligible agent. */
export const needFor = (projectId: string, workId: string, capability: string, candidates: SpinUpTarget[]) => ({ projectId, workId, capability, agentTypes: [], reason: `no eligible online agent for work ${workId}`, candidates });
