// Real processes for weft's tests: a nats-server, `loom weft` on a free port, `loom agent` workers, and HTTP helpers.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { loomCommand } from '../../core/testing/loom-process.js';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { createTempProject, type TempProject } from '../fixtures/temp-project.js';
import { until as waitFor } from '../../core/testing/poll.js';

export const WORKER = fileURLToPath(new URL('./fixtures/worker.mjs', import.meta.url));

/** Short leases and heartbeats so crashes show within seconds; every process of a test uses the same values. */
export const FAST = { LOOMINAL_ACK_WAIT_MS: '1500', LOOMINAL_HEARTBEAT_MS: '300', LOOMINAL_RETRY_DELAY_MS: '100', LOOMINAL_CLAIM_POLL_MS: '100', WEFT_STALE_CHECK_MS: '300' };

export interface LoomProcess {
  child: ChildProcessWithoutNullStreams;
  pid: number;
  stdout(): string;
  stderr(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface WeftProcess extends LoomProcess {
  url: string;
  instanceId: string;
}

const live = new Set<ChildProcessWithoutNullStreams>();

export function spawnLoom(args: string[], env: Record<string, string>, cwd: string): LoomProcess {
  const [command, ...prefix] = loomCommand();
  const child = spawn(command!, [...prefix, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => live.delete(child));
  return {
    child,
    pid: child.pid!,
    stdout: () => out,
    stderr: () => err,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export { waitFor };

export interface Fabric {
  nats: NatsServerHandle;
  project: TempProject;
  home: string;
  /** The env every process of the test shares. */
  env(extra?: Record<string, string>): Record<string, string>;
  startWeft(extra?: Record<string, string>, options?: { cwd?: string }): Promise<WeftProcess>;
  startAgent(options: { capability: string; agentType?: string; projectId?: string; env?: Record<string, string>; agentId?: string }): Promise<LoomProcess & { agentId: string }>;
  /** SIGKILLs every process started so far (after a failed test, so the next one starts clean: no weft left holding the lease). */
  killAll(): Promise<void>;
  stop(): Promise<void>;
}

/** files: extra files of the project directory (e.g. a loom.config.ts); `loominal` resolves from it as after npm install. */
export async function startFabric(projectId: string, files: Record<string, string> = {}): Promise<Fabric> {
  const nats = await startNatsServer();
  const project = createTempProject({ 'package.json': '{}', ...files }, { linkLoominal: true });
  const home = mkdtempSync(join(tmpdir(), 'loom-home-'));
  const processes: LoomProcess[] = [];
  const env = (extra: Record<string, string> = {}) => ({ NATS_URL: nats.url, LOOMINAL_PROJECT_ID: projectId, LOOMINAL_HOME: home, ...FAST, ...extra });
  const fabric: Fabric = {
    nats,
    project,
    home,
    env,
    async startWeft(extra = {}, options = {}) {
      const proc = spawnLoom(['weft', '--json'], env({ API_PORT: '0', ...extra }), options.cwd ?? project.dir);
      processes.push(proc);
      const line = await waitFor(() => proc.stdout().split('\n').find((l) => l.startsWith('{')), `weft to print its URL (stderr: ${proc.stderr()})`, 30_000).catch((err: unknown) => {
        throw new Error(`${String(err)}\nweft stderr:\n${proc.stderr()}`);
      });
      const { url, instanceId } = JSON.parse(line) as { url: string; instanceId: string };
      return { ...proc, url, instanceId };
    },
    async startAgent(options) {
      const agentId = options.agentId ?? randomBytes(16).toString('hex');
      const proc = spawnLoom(
        ['agent', '--capability', options.capability, '--agent-type', options.agentType ?? 'worker', '--grace-ms', '0', '--', process.execPath, WORKER],
        env({ LOOMINAL_AGENT_ID: agentId, ...(options.projectId ? { LOOMINAL_PROJECT_ID: options.projectId } : {}), ...(options.env ?? {}) }),
        project.dir,
      );
      processes.push(proc);
      return { ...proc, agentId };
    },
    async killAll() {
      await Promise.all(processes.map((proc) => proc.kill('SIGKILL')));
    },
    async stop() {
      for (const proc of processes.reverse()) await proc.kill('SIGKILL');
      await nats.stop();
      project.remove();
      rmSync(home, { recursive: true, force: true });
    },
  };
  return fabric;
}

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function http<T = any>(base: string, method: string, path: string, options: { body?: unknown; rawBody?: string; token?: string; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...(options.body !== undefined || options.rawBody !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers };
  const response = await fetch(base + path, { method, headers, ...(options.rawBody !== undefined ? { body: options.rawBody } : options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});
