// The fault tests' fabric: a real nats-server (or a given URL list), `loom` MCP sessions on it, and polling helpers.
import { isAlive } from '../../../core/testing/loom-process.js';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { spawnMcpServer, type McpSession } from '../../../core/testing/mcp-client.js';
import { until } from '../../../core/testing/poll.js';

/** Short leases and retry delays so lease expiry, redelivery and the DLQ show within seconds. */
export const FAST_WORK_ENV = {
  LOOMINAL_ACK_WAIT_MS: '2000',
  LOOMINAL_MAX_DELIVER: '3',
  LOOMINAL_RETRY_DELAY_MS: '50',
  LOOMINAL_CLAIM_POLL_MS: '100',
  LOOMINAL_HEARTBEAT_MS: '1000',
};

export const agentHex = (seed: string) => seed.repeat(32).slice(0, 32);

export interface Fabric {
  /** The URL (or comma-separated URLs) every process gets as NATS_URL. */
  url: string;
  home: string;
  /** The test's own connection, with unlimited reconnects (it lives through the faults too). */
  nc: NatsConnection;
  jsm: JetStreamManager;
  env(projectId: string, agentId: string, extra?: Record<string, string>): Record<string, string>;
  session(preset: 'warp' | 'pattern' | 'shuttle', projectId: string, agentId: string, extra?: Record<string, string>): Promise<McpSession>;
  close(): Promise<void>;
}

export async function createFabric(url: string): Promise<Fabric> {
  const home = realpathSync(mkdtempSync(join(tmpdir(), 'loom-faults-')));
  const nc = await connect({ servers: url.split(','), reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  const jsm = await jetstreamManager(nc);
  const sessions: McpSession[] = [];
  const env = (projectId: string, agentId: string, extra: Record<string, string> = {}) => ({
    NATS_URL: url,
    LOOMINAL_PROJECT_ID: projectId,
    LOOMINAL_AGENT_ID: agentId,
    LOOMINAL_PRINCIPAL: 'tester@faults',
    HOME: home,
    LOOMINAL_HOME: home,
    SHUTTLE_WORK_DIR: join(home, 'shuttle'),
    ...FAST_WORK_ENV,
    ...extra,
  });
  return {
    url,
    home,
    nc,
    jsm,
    env,
    async session(preset, projectId, agentId, extra) {
      const session = await spawnMcpServer({ args: [preset], env: env(projectId, agentId, extra), cwd: home });
      sessions.push(session);
      return session;
    },
    async close() {
      await Promise.all(sessions.map((session) => session.close().catch(() => undefined)));
      await nc.close().catch(() => undefined);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export { until };

/** Resolves once JetStream answers on this connection again (after a restart it first recovers its store). */
export async function jetStreamAnswers(jsm: JetStreamManager, timeoutMs = 30_000): Promise<void> {
  await until(async () => (await jsm.getAccountInfo(), true), 'JetStream to answer', timeoutMs, 100);
}

/** Whether a process id runs (a zombie does not: core/process/alive.ts). */
export { isAlive as alive };
