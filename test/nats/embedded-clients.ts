// Real loom-like processes sharing one LOOMINAL_HOME: spawns embedded-client children, sends commands, reads replies.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { until } from '../../core/testing/poll.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/embedded-client.ts', import.meta.url));

export interface ServerInfo {
  url: string;
  source: 'config' | 'local' | 'managed';
  pid?: number;
  storeDir?: string;
}

export interface Reply {
  id: number;
  error?: string;
  url?: string;
  server?: ServerInfo;
  serverId?: string;
  connected?: boolean;
  works?: boolean;
  same?: boolean;
  seq?: number;
  data?: string;
}

export interface Client {
  child: ChildProcessWithoutNullStreams;
  stderr(): string;
  /** Sends a command without waiting; await the promise for its reply (an error reply fails it). */
  send(op: string, fields?: Record<string, unknown>, timeoutMs?: number): Promise<Reply>;
  exited(): boolean;
}

const started: Client[] = [];

export function startClient(home: string, port: number): Client {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, home, String(port)], { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let next = 0;
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const replies = () => stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Reply);
  const client: Client = {
    child,
    stderr: () => stderr,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    async send(op, fields = {}, timeoutMs = 60_000) {
      const id = ++next;
      child.stdin.write(`${JSON.stringify({ id, op, ...fields })}\n`);
      const reply = await until(() => replies().find((r) => r.id === id) ?? (client.exited() ? { id, error: `exited with ${child.exitCode}` } : undefined), () => `reply ${id} (${op}) from client ${child.pid}; stderr: ${stderr.slice(-2000)}`, timeoutMs);
      if (reply.error) throw new Error(`${op} failed in client ${child.pid}: ${reply.error}\nstderr: ${stderr.slice(-2000)}`);
      return reply;
    },
  };
  started.push(client);
  return client;
}

/** Closes every client still running (ending stdin makes it stop its server), then kills what did not exit. */
export async function stopClients(): Promise<void> {
  const running = started.splice(0).filter((client) => !client.exited());
  for (const client of running) client.child.stdin.end();
  await until(() => running.every((client) => client.exited()), 'the clients to exit', 15_000).catch(() => running.forEach((client) => client.child.kill('SIGKILL')));
}

/** The pids of the nats-server processes running on this store: the bug this guards against is two of them. */
export function serversOnStore(storeDir: string): number[] {
  const table = execFileSync('ps', ['-axo', 'pid=,args='], { encoding: 'utf8' });
  return table.split('\n').filter((line) => /nats-server/.test(line) && line.includes(` -sd ${storeDir} `)).map((line) => Number(line.trim().split(/\s+/)[0]));
}

export { isAlive } from '../../core/testing/loom-process.js';
