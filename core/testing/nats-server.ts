// Test harness: a real nats-server with JetStream on a free port and a temporary store, stopped by its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNatsServerBinary } from '../nats/binary.js';

export interface NatsServerHandle {
  url: string;
  port: number;
  pid: number;
  storeDir: string;
  /** SIGKILL the server (a crash), leaving its store. */
  kill(): Promise<void>;
  /** Start again on the same port and store, after kill() or stop(). */
  restart(): Promise<void>;
  /** Stop gracefully and delete the store. */
  stop(): Promise<void>;
  /** Whether it runs (or how it exited) and the end of its log, for a failing test's message. */
  status(): string;
}

export interface StartNatsOptions {
  port?: number;
  storeDir?: string;
  extraArgs?: string[];
  /** Log lines the harness should wait for before resolving (defaults to the client listener line). */
  timeoutMs?: number;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Spawns nats-server and resolves once its log says which port it listens on. */
export function spawnNatsProcess(args: string[], timeoutMs = 20_000): Promise<{ child: ChildProcess; port: number; status: () => string }> {
  const bin = findNatsServerBinary();
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let log = '';
    const timer = setTimeout(() => fail(new Error(`nats-server did not report readiness in ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const port = /Listening for client connections on [^\s]+:(\d+)/.exec(log)?.[1];
      if (port && /Server is ready/.test(log)) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        // Keep the end of the log: when a server dies under a test, its last words say why.
        const keep = (more: Buffer) => (log = (log + more.toString()).slice(-8192));
        child.stdout?.on('data', keep);
        child.stderr?.on('data', keep);
        const status = () => `nats-server pid ${child.pid} ${child.exitCode !== null || child.signalCode !== null ? `exited (code ${child.exitCode}, signal ${child.signalCode})` : 'running'}; its log ends:\n${log.slice(-4096)}`;
        resolve({ child, port: Number(port), status });
      }
    };
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      live.delete(child);
      if (!/Server is ready/.test(log)) fail(new Error(`nats-server exited with ${code}:\n${log}`));
    });
  });
}

export function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startNatsServer(options: StartNatsOptions = {}): Promise<NatsServerHandle> {
  const storeDir = options.storeDir ?? mkdtempSync(join(tmpdir(), 'loom-nats-'));
  let port = options.port ?? -1;
  const args = () => ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir, ...(options.extraArgs ?? [])];
  let { child, port: actual, status } = await spawnNatsProcess(args(), options.timeoutMs);
  port = actual;
  const handle: NatsServerHandle = {
    url: `nats://127.0.0.1:${port}`,
    port,
    get pid() {
      return child.pid ?? -1;
    },
    storeDir,
    status: () => status(),
    async kill() {
      child.kill('SIGKILL');
      await waitForExit(child);
    },
    async restart() {
      ({ child, status } = await spawnNatsProcess(args(), options.timeoutMs));
    },
    async stop() {
      child.kill('SIGTERM');
      await waitForExit(child);
      if (!options.storeDir) rmSync(storeDir, { recursive: true, force: true });
    },
  };
  return handle;
}
