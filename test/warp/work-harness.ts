// Shared setup of the work tests: a real nats-server, `loom warp` processes per (project, agent), and registrations.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { spawnMcpServer, type McpSession } from '../../core/testing/mcp-client.js';
import { until } from '../../core/testing/poll.js';

/** Short leases and retry delays so lease expiry and the DLQ show within seconds. */
export const WORK_ENV = {
  LOOMINAL_ACK_WAIT_MS: '2000',
  LOOMINAL_MAX_DELIVER: '3',
  LOOMINAL_RETRY_DELAY_MS: '50',
  LOOMINAL_CLAIM_POLL_MS: '100',
  LOOMINAL_HEARTBEAT_MS: '1000',
};

export const agentHex = (digit: string) => digit.repeat(32);

export interface WorkFabric {
  nats: NatsServerHandle;
  nc: NatsConnection;
  cwd: string;
  env(projectId: string, agentId: string, extra?: Record<string, string>): Record<string, string>;
  warp(projectId: string, agentId: string, extra?: Record<string, string>): Promise<McpSession>;
  /** Messages in a stream; 0 when the stream was never created. */
  count(stream: string): Promise<number>;
  /** Waits for a work-queue stream to hold nothing: complete_work acks without waiting for the server's confirmation
   *  (a lost ack only brings a redelivery that is dropped), so the message goes a moment after the call returns. */
  drained(stream: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startWorkFabric(): Promise<WorkFabric> {
  const nats = await startNatsServer();
  const nc = await connect({ servers: nats.url });
  const jsm = await jetstreamManager(nc);
  const cwd = realpathSync(mkdtempSync(join(tmpdir(), 'loom-work-')));
  const sessions: McpSession[] = [];
  const env = (projectId: string, agentId: string, extra: Record<string, string> = {}) => ({ NATS_URL: nats.url, LOOMINAL_PROJECT_ID: projectId, LOOMINAL_AGENT_ID: agentId, ...WORK_ENV, ...extra });
  const fabric: WorkFabric = {
    nats,
    nc,
    cwd,
    env,
    async warp(projectId, agentId, extra) {
      const session = await spawnMcpServer({ args: ['warp'], env: env(projectId, agentId, extra), cwd });
      sessions.push(session);
      return session;
    },
    async count(stream) {
      try {
        return (await jsm.streams.info(stream)).state.messages;
      } catch {
        return 0;
      }
    },
    async drained(stream) {
      let left = -1;
      await until(async () => (left = await fabric.count(stream)) === 0, () => `${stream} to be empty (${left} left)`, 15_000);
    },
    async stop() {
      await Promise.all(sessions.map((s) => s.close().catch(() => {})));
      await nc.close();
      await nats.stop();
      rmSync(cwd, { recursive: true, force: true });
    },
  };
  return fabric;
}

/** Registers the session's agent with register_agent (its warp process heartbeats it from then on). */
export async function register(session: McpSession, capabilities: string[]): Promise<void> {
  await session.call('register_agent', { agentType: 'tester', capabilities });
}

/** The text of an isError result, or a failure when the call unexpectedly succeeded. */
export async function errorText(session: McpSession, tool: string, args: Record<string, unknown>): Promise<string> {
  const result = await session.raw(tool, args);
  if (!result.isError) throw new Error(`${tool} succeeded but should have failed: ${JSON.stringify(result.structuredContent)}`);
  return result.content.map((c) => c.text ?? '').join('\n');
}

export { until } from '../../core/testing/poll.js';
