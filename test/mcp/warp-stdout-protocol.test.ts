// Only protocol on stdout, for the real server: two `loom warp` processes on a real nats-server, driven by the MCP SDK
// client through messaging, registry and work tools (and a bad call), write nothing to stdout but JSON-RPC 2.0.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/client';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { expectOnlyJsonRpc, spawnRawLoom, type RawLoom } from './raw-stdio.js';

const PROJECT = 'stdout-warp';
const ALICE = 'a'.repeat(32);
const BOB = 'b'.repeat(32);

let nats: NatsServerHandle;
let home: string;
const processes: RawLoom[] = [];

beforeAll(async () => {
  nats = await startNatsServer();
  home = mkdtempSync(join(tmpdir(), 'loom-stdout-warp-'));
});

afterAll(async () => {
  for (const loom of processes) loom.end();
  await Promise.all(processes.map((loom) => loom.exited));
  await nats?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

interface WarpSession {
  loom: RawLoom;
  client: Client;
  /** Requests the client sent: initialize, tools/list, then one per tool call. */
  requests: number;
  call(name: string, args: Record<string, unknown>): Promise<{ isError?: boolean; structuredContent?: Record<string, unknown>; content: Array<{ text?: string }> }>;
}

async function startWarp(agentId: string): Promise<WarpSession> {
  // Debug logging: the most a server ever logs, every line of which must go to stderr.
  const loom = spawnRawLoom(['warp'], {
    cwd: home,
    env: { NATS_URL: nats.url, LOOMINAL_PROJECT_ID: PROJECT, LOOMINAL_AGENT_ID: agentId, LOOMINAL_PRINCIPAL: 'tester@stdout', HOME: home, LOOMINAL_HOME: home, LOG_LEVEL: 'debug' },
  });
  processes.push(loom);
  const client = new Client({ name: 'stdout-check', version: '0.0.0' });
  await client.connect(loom.transport());
  // With the tool list fetched, the client also checks every structuredContent against the advertised output schema.
  await client.listTools();
  const session: WarpSession = {
    loom,
    client,
    requests: 2,
    async call(name, args) {
      session.requests += 1;
      return (await client.callTool({ name, arguments: args })) as never;
    },
  };
  return session;
}

describe('loom warp stdout against a real nats-server', () => {
  it('the check rejects what an MCP client would skip silently: a log line, JSON that is not JSON-RPC, a partial line, bad UTF-8', () => {
    const ok = '{"jsonrpc":"2.0","id":1,"result":{}}\n';
    expect(expectOnlyJsonRpc(Buffer.from(ok))).toHaveLength(1);
    expect(() => expectOnlyJsonRpc(Buffer.from(`${ok}serving on stdio\n`))).toThrow(/serving on stdio/);
    expect(() => expectOnlyJsonRpc(Buffer.from(`${ok}{"level":30,"msg":"hi"}\n`))).toThrow(/level/);
    expect(() => expectOnlyJsonRpc(Buffer.from(`${ok}{"jsonrpc":"1.0","id":2,"result":{}}\n`))).toThrow();
    expect(() => expectOnlyJsonRpc(Buffer.from(`${ok}\n`))).toThrow();
    expect(() => expectOnlyJsonRpc(Buffer.from(ok.trimEnd()))).toThrow(/partial line/);
    expect(() => expectOnlyJsonRpc(Buffer.concat([Buffer.from(ok), Buffer.from([0xff, 0x0a])]))).toThrow();
  });

  it('carries only JSON-RPC 2.0 messages through identity, channel, registry, direct message and work tool calls', async () => {
    const [alice, bob] = await Promise.all([startWarp(ALICE), startWarp(BOB)]);
    const ok = async (session: WarpSession, name: string, args: Record<string, unknown>) => {
      const result = await session.call(name, args);
      expect(result.isError, `${name}: ${result.content.map((c) => c.text).join('\n')}`).toBeFalsy();
      return result.structuredContent!;
    };

    await ok(alice, 'set_handle', { handle: 'alice' });
    await ok(bob, 'set_handle', { handle: 'bob' });
    await ok(alice, 'register_agent', { agentType: 'tester', capabilities: ['stdout-check'] });
    await ok(bob, 'register_agent', { agentType: 'tester', capabilities: ['stdout-check'] });

    await ok(alice, 'send_message', { channel: 'roadmap', message: 'hello on the channel' });
    const page = (await ok(bob, 'read_messages', { channel: 'roadmap' })) as { messages: Array<{ message: string }> };
    expect(page.messages.map((m) => m.message)).toEqual(['hello on the channel']);

    await ok(alice, 'send_direct_message', { recipientId: BOB, message: 'hello in private' });
    const inbox = (await ok(bob, 'read_direct_messages', {})) as { messages: Array<{ message: string }> };
    expect(inbox.messages.map((m) => m.message)).toEqual(['hello in private']);

    await ok(alice, 'broadcast_work_offer', { taskId: 'task-1', description: 'check stdout', requiredCapability: 'stdout-check', workId: 'stdout-1' });
    const claim = (await ok(bob, 'claim_work', { capability: 'stdout-check', timeout: 5000 })) as { claimed: boolean; work: { workId: string } | null };
    expect(claim.work?.workId).toBe('stdout-1');
    await ok(bob, 'complete_work', { workId: 'stdout-1', result: { ok: true } });

    const bad = await alice.call('send_message', { channel: 'not.a.token', message: 'x' });
    expect(bad.isError).toBe(true);
    expect(bad.content.map((c) => c.text).join('\n')).toContain('channel');

    // Closing the client ends stdin: the server shuts down cleanly, and its shutdown writes nothing to stdout either.
    await Promise.all([alice.client.close(), bob.client.close()]);
    expect(await alice.loom.exited).toBe(0);
    expect(await bob.loom.exited).toBe(0);

    for (const session of [alice, bob]) {
      const messages = expectOnlyJsonRpc(session.loom.stdoutBytes());
      // Every answer came over stdout, one per request: initialize, tools/list and each tool call.
      expect(messages.filter((m) => 'result' in m || 'error' in m)).toHaveLength(session.requests);
      // The servers did log, and at debug level, all of it to stderr.
      expect(session.loom.stderr()).toContain('serving MCP over stdio');
    }
  });
});
