// Shared setup of the `loom agent` tests: a real nats-server, a kernel that offers and observes, agent processes.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { createTestKernel } from '../../core/testing/kernel.js';
import { loomCommand } from '../../core/testing/loom-process.js';
import { registryService, workEventsService, workQueueService, type Kernel, type ProjectRegistry, type ProjectWorkQueue, type WorkEvent } from '../../core/index.js';
import { natsKvStorage } from '../../plugins/storage/nats-kv/index.js';
import { registryServicePlugin } from '../../plugins/services/registry/index.js';
import { workEventsPlugin } from '../../plugins/services/work-events/index.js';
import { workQueuePlugin } from '../../plugins/services/work-queue/index.js';

export const AGENT_ENV = {
  LOOMINAL_ACK_WAIT_MS: '1500',
  LOOMINAL_MAX_DELIVER: '3',
  LOOMINAL_RETRY_DELAY_MS: '50',
  LOOMINAL_CLAIM_POLL_MS: '100',
  LOOMINAL_HEARTBEAT_MS: '500',
};

export interface AgentProcess {
  child: ChildProcessWithoutNullStreams;
  agentId: string;
  output: { stdout: string; stderr: string };
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface AgentFabric {
  nats: NatsServerHandle;
  kernel: Kernel;
  queue: ProjectWorkQueue;
  registry: ProjectRegistry;
  events: WorkEvent[];
  projectId: string;
  /** Starts `loom agent` in its own process group (so a SIGKILL test can also end the command it runs); env adds variables. */
  agent(agentId: string, args: string[], env?: Record<string, string>): AgentProcess;
  stop(): Promise<void>;
}

export async function startAgentFabric(projectId: string): Promise<AgentFabric> {
  const nats = await startNatsServer();
  const cwd = realpathSync(mkdtempSync(join(tmpdir(), 'loom-agent-')));
  const kernel = await createTestKernel({
    plugins: [natsKvStorage, registryServicePlugin, workEventsPlugin, workQueuePlugin],
    config: { nats: { url: nats.url } },
    env: { LOOMINAL_PROJECT_ID: projectId, LOOMINAL_AGENT_ID: 'f'.repeat(32), ...AGENT_ENV },
    cwd,
  });
  const events: WorkEvent[] = [];
  const follow = await kernel.use(workEventsService).follow({ projectId, fromStart: true }, (event) => void events.push(event));
  const agents: AgentProcess[] = [];
  return {
    nats,
    kernel,
    queue: kernel.use(workQueueService).forProject(projectId),
    registry: kernel.use(registryService).forProject(projectId),
    events,
    projectId,
    agent(agentId, args, extraEnv = {}) {
      const [node, ...prefix] = loomCommand();
      const child = spawn(node!, [...prefix, 'agent', ...args], {
        cwd,
        detached: true,
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', NATS_URL: nats.url, LOOMINAL_PROJECT_ID: projectId, LOOMINAL_AGENT_ID: agentId, ...AGENT_ENV, ...extraEnv },
      });
      const output = { stdout: '', stderr: '' };
      child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
      const proc = { child, agentId, output, exited };
      agents.push(proc);
      return proc;
    },
    async stop() {
      for (const proc of agents) {
        if (proc.child.exitCode === null && proc.child.signalCode === null) {
          try {
            process.kill(-proc.child.pid!, 'SIGKILL');
          } catch {
            // already gone
          }
        }
      }
      await follow.stop();
      await kernel.stop();
      await nats.stop();
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

export { until } from '../../core/testing/poll.js';

export const offerFor = (workId: string, capability: string, description = `work ${workId}`) => ({
  workId,
  taskId: 'task-1',
  description,
  capability,
  priority: 5,
  offeredBy: 'f'.repeat(32),
  scope: 'team' as const,
});
