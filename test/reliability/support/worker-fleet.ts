// A fleet of `loom agent` workers on one project, each in its own process group so SIGKILL takes its command down too.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestKernel } from '../../../core/testing/kernel.js';
import { loomCommand } from '../../../core/testing/loom-process.js';
import { workEventsService, workQueueService, type Kernel, type ProjectWorkQueue, type WorkEvent } from '../../../core/index.js';
import { natsKvStorage } from '../../../plugins/storage/nats-kv/index.js';
import { registryServicePlugin } from '../../../plugins/services/registry/index.js';
import { workEventsPlugin } from '../../../plugins/services/work-events/index.js';
import { workQueuePlugin } from '../../../plugins/services/work-queue/index.js';

/** Lease 1.5 s: a dead holder's item goes to another worker within seconds. */
export const WORKER_ENV = {
  LOOMINAL_ACK_WAIT_MS: '1500',
  LOOMINAL_MAX_DELIVER: '3',
  LOOMINAL_RETRY_DELAY_MS: '50',
  LOOMINAL_CLAIM_POLL_MS: '100',
  LOOMINAL_HEARTBEAT_MS: '500',
};

/** The worker command: holds the item WORK_MS, then prints a result; an item whose description says always-fail exits 1. */
const WORKER_SCRIPT = `
let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => {
  const item = JSON.parse(input);
  if (item.description.includes('always-fail')) {
    process.stderr.write('boom on attempt ' + item.attempt);
    process.exit(1);
  }
  setTimeout(() => process.stdout.write('done ' + item.workId + ' attempt ' + item.attempt), Number(process.env.WORK_MS || 300));
});
`;

export interface Worker {
  agentId: string;
  child: ChildProcessWithoutNullStreams;
  stderr(): string;
  exited: Promise<void>;
  /** SIGKILL the worker and the command it runs (its whole process group). */
  kill(): Promise<void>;
}

export interface WorkerFleet {
  kernel: Kernel;
  queue: ProjectWorkQueue;
  /** Every work event of the project since the fleet started, in order. */
  events: WorkEvent[];
  workers: Worker[];
  start(agentId: string, capability: string, extraEnv?: Record<string, string>): Worker;
  stop(): Promise<void>;
}

export async function startWorkerFleet(options: { url: string; projectId: string; workMs?: number; env?: Record<string, string> }): Promise<WorkerFleet> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'loom-workers-')));
  const script = join(dir, 'worker.mjs');
  writeFileSync(script, WORKER_SCRIPT);
  const env = { ...WORKER_ENV, ...options.env };
  const kernel = await createTestKernel({
    plugins: [natsKvStorage, registryServicePlugin, workEventsPlugin, workQueuePlugin],
    config: { nats: { url: options.url } },
    env: { LOOMINAL_PROJECT_ID: options.projectId, LOOMINAL_AGENT_ID: 'f'.repeat(32), ...env },
    cwd: dir,
  });
  const events: WorkEvent[] = [];
  const follow = await kernel.use(workEventsService).follow({ projectId: options.projectId, fromStart: true }, (event) => void events.push(event));
  const workers: Worker[] = [];
  const fleet: WorkerFleet = {
    kernel,
    queue: kernel.use(workQueueService).forProject(options.projectId),
    events,
    workers,
    start(agentId, capability, extraEnv = {}) {
      const [node, ...prefix] = loomCommand();
      const child = spawn(node!, [...prefix, 'agent', '--capability', capability, '--grace-ms', '0', '--', process.execPath, script], {
        cwd: dir,
        detached: true,
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { PATH: process.env.PATH ?? '', HOME: dir, LOG_LEVEL: 'warn', NATS_URL: options.url, LOOMINAL_PROJECT_ID: options.projectId, LOOMINAL_AGENT_ID: agentId, WORK_MS: String(options.workMs ?? 300), ...env, ...extraEnv },
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.resume();
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const worker: Worker = {
        agentId,
        child,
        stderr: () => stderr,
        exited,
        async kill() {
          if (child.exitCode === null && child.signalCode === null) {
            try {
              process.kill(-child.pid!, 'SIGKILL');
            } catch {
              // already gone
            }
          }
          await exited;
        },
      };
      workers.push(worker);
      return worker;
    },
    async stop() {
      await Promise.all(workers.map((w) => w.kill()));
      await follow.stop();
      await kernel.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fleet;
}

export const offer = (workId: string, capability: string, description = `work ${workId}`) => ({
  workId,
  taskId: 'faults',
  description,
  capability,
  priority: 5,
  offeredBy: 'f'.repeat(32),
  scope: 'team' as const,
});

/** Work ids currently claimed by `agentId` and not settled, from the event log. */
export function heldBy(events: WorkEvent[], agentId: string): string[] {
  const holder = new Map<string, string | undefined>();
  for (const event of events) {
    if (event.type === 'claimed') holder.set(event.workId, event.agentId);
    else if (['completed', 'failed', 'retrying', 'dead-lettered', 'offered', 'cancelled'].includes(event.type)) holder.set(event.workId, undefined);
  }
  return [...holder.entries()].filter(([, agent]) => agent === agentId).map(([workId]) => workId);
}
