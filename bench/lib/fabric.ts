// What scenarios run on: the bench's own nats-server, kernels of our plugins in this process, raw nats.js, spawned `loom`.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { Kernel, LoomPlugin } from '../../core/index.js';
import type { NatsServerHandle } from '../../core/testing/nats-server.js';
import type { McpSession } from '../../core/testing/mcp-client.js';
import { storagePlugins, testing } from './layer.js';
import { MCP_SERVER_NODE_FLAGS } from '../../cli/mcp-clients.js';
import { pidProbe, type ProcessProbe } from './probe.js';

export interface Raw {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  kvm: Kvm;
}

export interface Fabric {
  nats: NatsServerHandle;
  server: ProcessProbe;
  /** A scratch directory: the working directory of spawned `loom` processes. */
  cwd: string;
  /** A kernel of these plugins (plus the storage backends) on the bench's server, started. */
  kernel(plugins: LoomPlugin[], options?: { projectId?: string; agentId?: string; env?: Record<string, string>; options?: Record<string, unknown> }): Promise<Kernel>;
  /** A raw nats.js connection, as an application without Loominal would have. */
  raw(): Promise<Raw>;
  /** `loom <preset>` over stdio with a real MCP client. */
  mcp(preset: 'warp' | 'pattern', env: Record<string, string>): Promise<McpSession>;
  env(projectId: string, agentId: string, extra?: Record<string, string>): Record<string, string>;
  /** `loom weft --json` on a free port; resolves once it printed its URL. */
  weft(env: Record<string, string>): Promise<Weft>;
  stop(): Promise<void>;
}

export interface Weft {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export const hexId = (bytes = 16): string => randomBytes(bytes).toString('hex');

/** A project id no other scenario uses, so streams and buckets start empty. */
export const freshProject = (label: string): string => `bench-${label}-${randomBytes(3).toString('hex')}`;

/** BENCH_PROFILE_DIR set: spawned servers write a V8 CPU profile there when they exit. */
export function profileEnv(): Record<string, string> {
  const dir = process.env.BENCH_PROFILE_DIR;
  return dir ? { BENCH_PROFILE_DIR: dir, NODE_OPTIONS: `--import ${fileURLToPath(new URL('./cpu-profile-hook.mjs', import.meta.url))}` } : {};
}

export async function startFabric(): Promise<Fabric> {
  const nats = await testing.startNatsServer();
  const cwd = realpathSync(mkdtempSync(join(tmpdir(), 'loom-bench-')));
  const kernels: Kernel[] = [];
  const connections: NatsConnection[] = [];
  const sessions: McpSession[] = [];
  const children: ChildProcess[] = [];
  const env = (projectId: string, agentId: string, extra: Record<string, string> = {}) => ({ NATS_URL: nats.url, LOOMINAL_PROJECT_ID: projectId, LOOMINAL_AGENT_ID: agentId, LOOMINAL_PRINCIPAL: 'bench@bench', LOG_LEVEL: 'warn', ...extra });
  return {
    nats,
    server: pidProbe(nats.pid),
    cwd,
    env,
    async kernel(plugins, options = {}) {
      const kernel = await testing.createTestKernel({
        plugins: [...storagePlugins, ...plugins],
        config: { nats: { url: nats.url }, options: options.options ?? {} },
        env: { LOOMINAL_PROJECT_ID: options.projectId ?? 'bench', LOOMINAL_AGENT_ID: options.agentId ?? hexId(), LOOMINAL_PRINCIPAL: 'bench@bench', ...options.env },
        cwd,
      });
      kernels.push(kernel);
      return kernel;
    },
    async raw() {
      // The kernel's connection runs with noAsyncTraces; the raw side too, so the ratio measures our layer, not that flag.
      const nc = await connect({ servers: nats.url, name: 'bench-raw', noAsyncTraces: true });
      connections.push(nc);
      return { nc, js: jetstream(nc), jsm: await jetstreamManager(nc), kvm: new Kvm(nc) };
    },
    async mcp(preset, processEnv) {
      // Started the way `loom mcp-config` and `loom up` tell clients to start them: with the same node flags.
      const profile = profileEnv();
      const nodeOptions = [...MCP_SERVER_NODE_FLAGS, ...(profile.NODE_OPTIONS ? [profile.NODE_OPTIONS] : [])].join(' ');
      const session = await testing.spawnMcpServer({ args: [preset], env: { ...processEnv, ...profile, NODE_OPTIONS: nodeOptions }, cwd });
      sessions.push(session);
      return session;
    },
    async weft(processEnv) {
      const [command, ...prefix] = testing.loomCommand();
      const child = spawn(command!, [...prefix, 'weft', '--json'], {
        cwd,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOOMINAL_HOME: cwd, LOG_LEVEL: 'warn', API_PORT: '0', ...processEnv, ...profileEnv() },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`weft did not print its URL in 60 s:\n${stderr}`)), 60_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const line = out.split('\n').find((l) => l.startsWith('{'));
          if (line) {
            clearTimeout(timer);
            resolve((JSON.parse(line) as { url: string }).url);
          }
        });
        child.once('exit', (code) => reject(new Error(`weft exited with ${code}:\n${stderr}`)));
      });
      return {
        url,
        pid: child.pid!,
        async stop() {
          // SIGTERM: a clean stop, so a profiled weft writes its profile.
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
      };
    },
    async stop() {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      await Promise.all(sessions.map((session) => session.close().catch(() => undefined)));
      await Promise.all(kernels.map((kernel) => kernel.stop().catch(() => undefined)));
      await Promise.all(connections.map((nc) => nc.close().catch(() => undefined)));
      await nats.stop();
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}
