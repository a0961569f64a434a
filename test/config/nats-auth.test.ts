// NATS credentials from the environment, used against servers that require them: NATS_TOKEN against `--auth`, and
// user:pass in NATS_URL against `--user/--pass`. A wrong secret fails with a coded error that never shows the secret.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { spawnMcpServer, type McpSession } from '../../core/testing/mcp-client.js';
import { splitUrlCredentials } from '../../core/nats/connection.js';
import { openKv } from '../../core/testing/kv.js';

const TOKEN = 'tok-6f1c2d9e8a7b4c3d';
const WRONG_TOKEN = 'tok-wrong-0a1b2c3d4e';
const USER = 'loom-user';
// Starts with digits: read naively, `user:73…@host:port` yields the wrong port.
const PASS = '73pw-3e9a7c1b5d';
const WRONG_PASS = 'pw-wrong-8d2f4a6c';

let tokenServer: NatsServerHandle;
let userServer: NatsServerHandle;
let home: string;
const sessions: McpSession[] = [];

beforeAll(async () => {
  [tokenServer, userServer] = await Promise.all([startNatsServer({ extraArgs: ['--auth', TOKEN] }), startNatsServer({ extraArgs: ['--user', USER, '--pass', PASS] })]);
  home = mkdtempSync(join(tmpdir(), 'loom-nats-auth-'));
});

afterAll(async () => {
  await Promise.all(sessions.map((session) => session.close().catch(() => undefined)));
  await Promise.all([tokenServer?.stop(), userServer?.stop()]);
  if (home) rmSync(home, { recursive: true, force: true });
});

async function warp(agentSeed: string, env: Record<string, string>): Promise<McpSession> {
  const session = await spawnMcpServer({
    args: ['warp'],
    cwd: home,
    env: { HOME: home, LOOMINAL_HOME: home, LOOMINAL_PROJECT_ID: 'nats-auth', LOOMINAL_AGENT_ID: agentSeed.repeat(32), LOOMINAL_PRINCIPAL: 'tester@nats-auth', ...env },
  });
  sessions.push(session);
  return session;
}

/** The registry entry as the server stores it, read over a connection of the test's own. */
async function storedAgent(url: string, auth: { token?: string; user?: string; pass?: string }, agentId: string): Promise<unknown> {
  const nc = await connect({ servers: url, ...auth });
  try {
    return (await (await openKv(nc, 'loom-registry-nats-auth')).get(agentId))?.json();
  } finally {
    await nc.close();
  }
}

async function failure(session: McpSession): Promise<string> {
  const result = await session.raw('register_agent', { agentType: 'dev' });
  expect(result.isError, JSON.stringify(result.structuredContent)).toBe(true);
  return result.content.map((c) => c.text ?? '').join('\n');
}

describe('NATS credentials from the environment', () => {
  it('a server without credentials turns the client away (the servers really require them)', async () => {
    await expect(connect({ servers: tokenServer.url, reconnect: false })).rejects.toThrow(/Authorization/i);
    await expect(connect({ servers: userServer.url, reconnect: false })).rejects.toThrow(/Authorization/i);
  });

  it('NATS_TOKEN connects loom warp to a server started with --auth', async () => {
    const session = await warp('a', { NATS_URL: tokenServer.url, NATS_TOKEN: TOKEN });
    await session.call('register_agent', { agentType: 'dev', capabilities: ['auth-token'] });
    await session.call('send_message', { channel: 'roadmap', message: 'over a token' });
    const page = await session.call<{ messages: Array<{ message: string }> }>('read_messages', { channel: 'roadmap' });
    expect(page.messages.map((m) => m.message)).toContain('over a token');
    expect(await storedAgent(tokenServer.url, { token: TOKEN }, 'a'.repeat(32))).toMatchObject({ id: 'a'.repeat(32), capabilities: ['auth-token'] });
  });

  it('user:pass in NATS_URL connects loom warp to a server started with --user/--pass', async () => {
    const session = await warp('b', { NATS_URL: userServer.url.replace('nats://', `nats://${USER}:${PASS}@`) });
    await session.call('register_agent', { agentType: 'dev', capabilities: ['auth-url'] });
    expect(await storedAgent(userServer.url, { user: USER, pass: PASS }, 'b'.repeat(32))).toMatchObject({ id: 'b'.repeat(32), capabilities: ['auth-url'] });
  });

  it('NATS_USER and NATS_PASS connect loom warp to the same server', async () => {
    const session = await warp('e', { NATS_URL: userServer.url, NATS_USER: USER, NATS_PASS: PASS });
    await session.call('register_agent', { agentType: 'dev', capabilities: ['auth-env'] });
    expect(await storedAgent(userServer.url, { user: USER, pass: PASS }, 'e'.repeat(32))).toMatchObject({ id: 'e'.repeat(32), capabilities: ['auth-env'] });
  });

  it('a wrong NATS_TOKEN fails with a coded error that names the server, not the token', async () => {
    const session = await warp('c', { NATS_URL: tokenServer.url, NATS_TOKEN: WRONG_TOKEN });
    const text = await failure(session);
    expect(text).toMatch(/^LOOM_ERR_NATS_UNREACHABLE: /);
    expect(text).toContain(tokenServer.url);
    expect(text).toMatch(/Authorization Violation/i);
    expect(text).toMatch(/NATS_TOKEN/);
    for (const output of [text, session.stderr()]) {
      expect(output).not.toContain(WRONG_TOKEN);
      expect(output).not.toContain(TOKEN);
    }
  });

  it('a wrong password in NATS_URL fails with a coded error whose URL is redacted', async () => {
    const session = await warp('d', { NATS_URL: userServer.url.replace('nats://', `nats://${USER}:${WRONG_PASS}@`) });
    const text = await failure(session);
    expect(text).toMatch(/^LOOM_ERR_NATS_UNREACHABLE: /);
    expect(text).toContain(`nats://***@127.0.0.1:${userServer.port}`);
    expect(text).toMatch(/Authorization Violation/i);
    for (const output of [text, session.stderr()]) {
      expect(output).not.toContain(WRONG_PASS);
      expect(output).not.toContain(USER);
    }
  });
});

describe('credentials in a server URL', () => {
  it('are taken out of every URL: user:pass@ becomes a user and password, token@ a token, percent-escapes decoded', () => {
    expect(splitUrlCredentials(['nats://ann:p%40ss@a:4222', 'nats://b:4223'])).toEqual({ servers: ['nats://a:4222', 'nats://b:4223'], auth: { user: 'ann', pass: 'p@ss' } });
    expect(splitUrlCredentials(['tls://s3cr3t@host:4443'])).toEqual({ servers: ['tls://host:4443'], auth: { token: 's3cr3t' } });
    expect(splitUrlCredentials(['nats://127.0.0.1:4222'])).toEqual({ servers: ['nats://127.0.0.1:4222'], auth: {} });
  });
});
