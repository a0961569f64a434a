// A nats-server running the `loom auth` generated config, provisioned by the weft user, and helpers to act as a user.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { startNatsServer, type NatsServerHandle } from '../../../core/testing/nats-server.js';
import { loomCommand } from '../../../core/testing/loom-process.js';
import { spawnMcpServer, type McpSession } from '../../../core/testing/mcp-client.js';
import { isPermissionViolation } from '../../../core/nats/nats-errors.js';
import { parseEnvFile } from '../../../cli/auth/credentials.js';

const run = promisify(execFile);

export interface AuthFabric {
  nats: NatsServerHandle;
  dir: string;
  outDir: string;
  /** stdout and stderr of the two `loom auth` runs (generate, provision), and of every `auth()` run after them. */
  outputs: string[];
  /** Runs `loom auth --spec <the spec> --out <outDir>` again with more arguments and env against this server; its stdout and stderr. */
  auth(args: string[], env?: Record<string, string>): Promise<string>;
  credentials(user: string): Record<string, string>;
  /** A raw NATS connection as `user`, with its own inbox prefix. */
  connectAs(user: string): Promise<NatsConnection>;
  session(preset: 'warp' | 'pattern' | 'shuttle', user: string, extra?: Record<string, string>): Promise<McpSession>;
  close(): Promise<void>;
}

async function loom(args: string[], env: Record<string, string>, cwd: string): Promise<string> {
  const [node, ...prefix] = loomCommand();
  const { stdout, stderr } = await run(node!, [...prefix, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, LOG_LEVEL: 'warn', ...env } });
  return `${stdout}${stderr}`;
}

export async function startAuthFabric(spec: unknown, workEnv: Record<string, string> = {}): Promise<AuthFabric> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'loom-auth-')));
  const outDir = join(dir, 'auth');
  const specFile = join(dir, 'auth.json');
  writeFileSync(specFile, JSON.stringify(spec));
  const outputs = [await loom(['auth', '--spec', specFile, '--out', outDir], {}, dir)];
  const serverConf = join(outDir, 'server.conf');
  writeFileSync(serverConf, 'include "nats-auth.conf"\n');
  const nats = await startNatsServer({ extraArgs: ['-c', serverConf] });
  outputs.push(await loom(['auth', '--spec', specFile, '--out', outDir, '--provision'], { NATS_URL: nats.url, ...workEnv }, dir));
  const sessions: McpSession[] = [];
  const connections: NatsConnection[] = [];
  const credentials = (user: string) => parseEnvFile(readFileSync(join(outDir, `${user}.env`), 'utf8'));
  return {
    nats,
    dir,
    outDir,
    outputs,
    async auth(args, env = {}) {
      const output = await loom(['auth', '--spec', specFile, '--out', outDir, ...args], { NATS_URL: nats.url, ...workEnv, ...env }, dir);
      outputs.push(output);
      return output;
    },
    credentials,
    async connectAs(user) {
      const c = credentials(user);
      const nc = await connect({ servers: nats.url, user: c.NATS_USER!, pass: c.NATS_PASS!, inboxPrefix: c.NATS_INBOX_PREFIX!, maxReconnectAttempts: 0 });
      connections.push(nc);
      return nc;
    },
    async session(preset, user, extra = {}) {
      const session = await spawnMcpServer({ args: [preset], cwd: dir, env: { ...credentials(user), NATS_URL: nats.url, HOME: dir, LOOMINAL_HOME: dir, SHUTTLE_WORK_DIR: join(dir, 'shuttle'), ...workEnv, ...extra } });
      sessions.push(session);
      return session;
    },
    async close() {
      await Promise.all(sessions.map((s) => s.close().catch(() => undefined)));
      await Promise.all(connections.map((nc) => nc.close().catch(() => undefined)));
      await nats.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves with the error a refused operation fails with; fails the test if it succeeds. */
export async function refusal(operation: Promise<unknown>): Promise<unknown> {
  try {
    await operation;
  } catch (err) {
    return err;
  }
  throw new Error('the operation succeeded, but the server should have refused it');
}

/** True when the server itself refused: a permissions violation, not a timeout or a client-side check. */
export const refusedByServer = (err: unknown) => isPermissionViolation(err);

/** Subscribes and waits for the server's verdict: the error it closed the subscription with, or null if it stands. */
export async function subscriptionVerdict(nc: NatsConnection, subject: string): Promise<unknown> {
  const sub: Subscription = nc.subscribe(subject);
  await nc.flush();
  const verdict = await Promise.race([sub.closed.then((err) => err ?? null), nc.flush().then(() => 'open' as const)]);
  if (verdict === 'open') {
    sub.unsubscribe();
    return null;
  }
  return verdict;
}
