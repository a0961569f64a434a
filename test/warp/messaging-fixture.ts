// Shared setup for the messaging e2e tests: a nats-server, `loom warp` processes per agent, and polling helpers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { spawnMcpServer, type McpSession } from '../../core/testing/mcp-client.js';
import { until } from '../../core/testing/poll.js';

/** A 32-hex agent id that is easy to recognise in logs: agentIdFor('a') → 'aaaa…'. */
export function agentIdFor(seed: string): string {
  return seed.repeat(32).slice(0, 32);
}

export interface WarpFixture {
  nats: NatsServerHandle;
  /** A JetStream manager on the test's own connection, for checking what is on the server. */
  jsm: JetStreamManager;
  /** The test's own connection to the server. */
  nc: NatsConnection;
  /** A temporary directory for a project's config files (.loominal-config.json, .loomrc.json). */
  projectDir(files?: Record<string, unknown>): string;
  warp(options: { projectId: string; agentId: string; env?: Record<string, string>; cwd?: string }): Promise<McpSession>;
  close(): Promise<void>;
}

export async function startWarpFixture(): Promise<WarpFixture> {
  const nats = await startNatsServer();
  const home = mkdtempSync(join(tmpdir(), 'loom-warp-home-'));
  const nc: NatsConnection = await connect({ servers: nats.url });
  const jsm = await jetstreamManager(nc);
  const sessions: McpSession[] = [];
  return {
    nats,
    jsm,
    nc,
    projectDir(files = {}) {
      const dir = mkdtempSync(join(home, 'project-'));
      for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), JSON.stringify(content, null, 2));
      return dir;
    },
    async warp({ projectId, agentId, env = {}, cwd }) {
      const session = await spawnMcpServer({
        args: ['warp'],
        cwd: cwd ?? home,
        env: {
          NATS_URL: nats.url,
          LOOMINAL_PROJECT_ID: projectId,
          LOOMINAL_AGENT_ID: agentId,
          LOOMINAL_PRINCIPAL: 'tester@warp-tests',
          HOME: home,
          LOOMINAL_HOME: home,
          ...env,
        },
      });
      sessions.push(session);
      return session;
    },
    async close() {
      await Promise.all(sessions.map((session) => session.close().catch(() => undefined)));
      await nc.close();
      await nats.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Polls until check(value) holds, or fails with the last value after the deadline. */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  let last: T | undefined;
  const held = await until(
    async () => {
      last = await read();
      return check(last) ? { value: last } : undefined;
    },
    () => `${options.what ?? 'condition'} (last value: ${JSON.stringify(last)?.slice(0, 2000)})`,
    options.timeoutMs ?? 20_000,
    options.intervalMs ?? 100,
  );
  return held.value;
}

/** Messages stored in a stream (0 when the stream does not exist). */
export async function streamMessages(jsm: JetStreamManager, stream: string): Promise<number> {
  try {
    return (await jsm.streams.info(stream)).state.messages;
  } catch {
    return 0;
  }
}

/** The sequence of the last write to a stream (0 when it does not exist): any publish or KV put moves it. */
export async function streamLastSeq(jsm: JetStreamManager, stream: string): Promise<number> {
  try {
    return (await jsm.streams.info(stream)).state.last_seq;
  } catch {
    return 0;
  }
}

/** The names of every stream that belongs to a project. */
export async function projectStreams(jsm: JetStreamManager, projectId: string): Promise<string[]> {
  const names: string[] = [];
  for await (const name of jsm.streams.names()) if (name.startsWith(`LOOM_${projectId.toUpperCase()}_`)) names.push(name);
  return names.sort();
}

/** The text of an isError result, or a failure when the call succeeded. */
export async function errorText(session: McpSession, tool: string, args: Record<string, unknown>): Promise<string> {
  const result = await session.raw(tool, args);
  if (!result.isError) throw new Error(`${tool} accepted ${JSON.stringify(args).slice(0, 200)}: ${JSON.stringify(result.structuredContent)}`);
  return result.content.map((c) => c.text ?? '').join('\n');
}
