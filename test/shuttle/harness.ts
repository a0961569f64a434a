// Shared setup of the shuttle end-to-end tests: a real nats-server, `loom shuttle` servers, and `loom warp` subagents.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { spawnMcpServer, type McpSession } from '../../core/testing/mcp-client.js';
import { loomCommand } from '../../core/testing/loom-process.js';

export const hex = (digit: string) => digit.repeat(32);

/** Short leases and retries so failures show in seconds; a fast retry loop so recovery shows in seconds too. */
export const FAST_ENV = {
  LOOMINAL_ACK_WAIT_MS: '5000',
  LOOMINAL_RETRY_DELAY_MS: '50',
  LOOMINAL_CLAIM_POLL_MS: '100',
  LOOMINAL_HEARTBEAT_MS: '1000',
  SHUTTLE_RETRY_MAX_MS: '500',
  SHUTTLE_RECONCILE_MS: '2000',
  SHUTTLE_NATS_WAIT_MS: '1000',
};

export interface Claimed {
  claimed: boolean;
  work: { workId: string; taskId?: string; description: string; contextData?: Record<string, unknown> } | null;
}

export interface Subagent {
  session: McpSession;
  agentId: string;
  claim(timeout?: number): Promise<Claimed['work']>;
  complete(workId: string, result: unknown): Promise<void>;
  fail(workId: string, error: string, retryable: boolean): Promise<{ outcome: string }>;
}

export interface ShuttleFabric {
  nats: NatsServerHandle;
  projectId: string;
  cwd: string;
  /** A fresh work directory (each shuttle process may have its own, as on another machine). */
  workDir(): string;
  shuttle(agentId: string, workDir: string, extra?: Record<string, string>): Promise<McpSession>;
  subagent(agentId: string, capabilities: string[]): Promise<Subagent>;
  stop(): Promise<void>;
}

export async function startShuttleFabric(projectId: string): Promise<ShuttleFabric> {
  const nats = await startNatsServer();
  const cwd = realpathSync(mkdtempSync(join(tmpdir(), 'loom-shuttle-')));
  const sessions: McpSession[] = [];
  const dirs: string[] = [cwd];
  const env = (agentId: string, extra: Record<string, string> = {}) => ({ NATS_URL: nats.url, LOOMINAL_PROJECT_ID: projectId, LOOMINAL_AGENT_ID: agentId, ...FAST_ENV, ...extra });
  return {
    nats,
    projectId,
    cwd,
    workDir() {
      const dir = realpathSync(mkdtempSync(join(tmpdir(), 'loom-shuttle-work-')));
      dirs.push(dir);
      return dir;
    },
    async shuttle(agentId, workDir, extra) {
      const session = await spawnMcpServer({ args: ['shuttle'], env: env(agentId, { SHUTTLE_WORK_DIR: workDir, ...extra }), cwd });
      sessions.push(session);
      return session;
    },
    async subagent(agentId, capabilities) {
      const session = await spawnMcpServer({ args: ['warp'], env: env(agentId), cwd });
      sessions.push(session);
      await session.call('register_agent', { agentType: 'tester', capabilities, scope: 'team' });
      return {
        session,
        agentId,
        async claim(timeout = 5000) {
          const claimed = await session.call<Claimed>('claim_work', { capability: capabilities[0]!, timeout });
          return claimed.work;
        },
        async complete(workId, result) {
          await session.call('complete_work', { workId, result });
        },
        fail: (workId, error, retryable) => session.call('fail_work', { workId, error, retryable }),
      };
    },
    async stop() {
      await Promise.all(sessions.map((session) => session.close().catch(() => {})));
      await nats.stop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export { until } from '../../core/testing/poll.js';

/** The text of an isError result, or a failure when the call unexpectedly succeeded. */
export async function errorText(session: McpSession, tool: string, args: Record<string, unknown>): Promise<string> {
  const result = await session.raw(tool, args);
  if (!result.isError) throw new Error(`${tool} succeeded but should have failed: ${JSON.stringify(result.structuredContent)}`);
  return result.content.map((c) => c.text ?? '').join('\n');
}

export const readText = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);

export interface SubtaskView {
  id: string;
  state: string;
  workId: string;
  hasResult: boolean;
  result?: string;
  source?: string;
  files?: string[];
  error?: string;
  agentId?: string;
}

export interface Results {
  orchestrationId: string;
  phase: string;
  complete: boolean;
  subtasks: SubtaskView[];
  degraded: boolean;
  degradedReason?: string;
}

export const states = (results: { subtasks: SubtaskView[] }) => Object.fromEntries(results.subtasks.map((s) => [s.id, s.state]));

/** A worker command for `loom agent`: answers each item with {"result", "files"} JSON naming its subtask. */
export const ECHO_WORKER = [
  process.execPath,
  '-e',
  "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const w=JSON.parse(s);const c=w.contextData||{};process.stdout.write(JSON.stringify({result:'worked on '+c.subtaskId+' of '+c.orchestrationId,files:['out/'+c.subtaskId+'.txt']}))})",
];

export interface AgentProcess {
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `loom agent --capability <capability> -- <command>` as a real process. */
export function startLoomAgent(fabric: ShuttleFabric, agentId: string, capability: string, command: string[] = ECHO_WORKER, extra: Record<string, string> = {}): AgentProcess {
  const [node, ...prefix] = loomCommand();
  const child = spawn(node!, [...prefix, 'agent', '--capability', capability, '--grace-ms', '2000', '--', ...command], {
    cwd: fabric.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', NATS_URL: fabric.nats.url, LOOMINAL_PROJECT_ID: fabric.projectId, LOOMINAL_AGENT_ID: agentId, ...FAST_ENV, ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid ?? -1,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
