// NATS over WebSocket (SPEC §3: ws:// and wss:// URLs, e.g. behind a proxy): a real nats-server with a websocket
// listener, a real `loom warp` given only a ws:// URL (that port speaks nothing but WebSocket), and a plain TCP client
// of the same server that sees its work.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { createNames } from '../../core/index.js';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { spawnMcpServer, type McpSession } from '../../core/testing/mcp-client.js';
import { freePort } from '../fixtures/temp-project.js';

const PROJECT = 'nats-websocket';
// Node 20 has WebSocket only behind a flag; 22 and later have it built in.
const WEBSOCKET_FLAG: Record<string, string> = typeof (globalThis as { WebSocket?: unknown }).WebSocket === 'function' ? {} : { NODE_OPTIONS: '--experimental-websocket' };

let server: NatsServerHandle;
let dir: string;
let wsUrl: string;
let session: McpSession | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loom-ws-'));
  const wsPort = await freePort();
  const conf = join(dir, 'server.conf');
  writeFileSync(conf, `websocket {\n  host: 127.0.0.1\n  port: ${wsPort}\n  no_tls: true\n}\n`);
  server = await startNatsServer({ extraArgs: ['-c', conf] });
  wsUrl = `ws://127.0.0.1:${wsPort}`;
}, 60_000);

afterAll(async () => {
  await session?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a ws:// NATS URL', { timeout: 120_000 }, () => {
  it('loom warp connects over WebSocket, and what it sends is stored in the same JetStream a TCP client reads', async () => {
    session = await spawnMcpServer({
      args: ['warp'],
      env: { NATS_URL: wsUrl, LOOMINAL_PROJECT_ID: PROJECT, LOOMINAL_AGENT_ID: 'a'.repeat(32), LOOMINAL_HOME: dir, ...WEBSOCKET_FLAG },
    });
    const sent = await session.call<{ sequence: number }>('send_message', { channel: 'parallel-work', message: 'over a websocket' });
    expect(sent.sequence).toBeGreaterThan(0);
    const read = await session.call<{ messages: Array<{ message: string }> }>('read_messages', { channel: 'parallel-work' });
    expect(read.messages.map((m) => m.message)).toEqual(['over a websocket']);

    const tcp = await connect({ servers: server.url });
    try {
      const stored = await (await jetstreamManager(tcp)).streams.getMessage(createNames(PROJECT).channelsStream, { seq: sent.sequence });
      expect(stored?.json<{ message: string }>().message).toBe('over a websocket');
    } finally {
      await tcp.close();
    }
  });
});

