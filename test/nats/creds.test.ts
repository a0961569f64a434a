// NATS_CREDS against a real nats-server in operator (decentralized JWT) mode: an operator, a system account and a
// JetStream account minted by test/fixtures/nats-jwt.ts (no nsc), preloaded into a memory resolver. The user's .creds
// file connects loom's own NATS service and a real `loom warp`; a wrong, malformed or missing one is a coded error that
// names the file and never shows the seed or the JWT.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, credsAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { spawnMcpServer, type McpSession } from '../../core/testing/mcp-client.js';
import { createNatsService, type NatsService } from '../../core/nats/connection.js';
import { loadConfig } from '../../core/config/load.js';
import { createSilentLogger } from '../../core/log.js';
import { LoomError } from '../../core/errors.js';
import { credsFileText, decodeJwt, mintOperatorTrust, mintStrayAccount, type MintedUser, type OperatorTrust } from '../fixtures/nats-jwt.js';
import { openKv } from '../../core/testing/kv.js';

const PROJECT = 'nats-creds';

let trust: OperatorTrust;
let server: NatsServerHandle;
let dir: string;
let alice: MintedUser;
/** Every secret minted here: none may appear in an error, a log line or a tool result. */
const secrets: string[] = [];
const services: NatsService[] = [];
const sessions: McpSession[] = [];

function writeCreds(name: string, content: string): string {
  const file = join(dir, name);
  writeFileSync(file, content, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/** Loom's own path: the config loader applies NATS_URL/NATS_CREDS, then the kernel's NATS service connects with it. */
async function natsFor(env: Record<string, string>, cwd = dir): Promise<NatsService> {
  const { config } = await loadConfig({ cwd, env });
  const nats = createNatsService({ config: config.nats, env, log: createSilentLogger(), name: 'creds-test' });
  services.push(nats);
  return nats;
}

async function connectFailure(nats: NatsService): Promise<LoomError> {
  const err = await nats.connection().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'the connection should have been refused').toBeInstanceOf(LoomError);
  return err as LoomError;
}

function expectNoSecrets(...outputs: string[]): void {
  for (const output of outputs) for (const secret of secrets) expect(output).not.toContain(secret);
}

beforeAll(async () => {
  trust = mintOperatorTrust();
  dir = mkdtempSync(join(tmpdir(), 'loom-creds-'));
  const conf = join(dir, 'server.conf');
  writeFileSync(conf, trust.serverConfig());
  // The harness adds -js, -sd <temp store>, -a 127.0.0.1 and -p -1; the config file brings the operator trust.
  server = await startNatsServer({ extraArgs: ['-c', conf], timeoutMs: 60_000 });
  alice = trust.user('alice');
  secrets.push(alice.seed, alice.jwt, trust.account.jwt);
}, 120_000);

afterAll(async () => {
  await Promise.all(sessions.map((session) => session.close().catch(() => undefined)));
  await Promise.all(services.map((nats) => nats.close().catch(() => undefined)));
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('the operator-mode fixture', { timeout: 120_000 }, () => {
  it('mints v2 JWTs with the claim shapes the server expects', () => {
    const [header] = alice.jwt.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ typ: 'JWT', alg: 'ed25519-nkey' });
    expect(decodeJwt(trust.operator.jwt)).toMatchObject({ iss: trust.operator.pub, sub: trust.operator.pub, nats: { type: 'operator', version: 2, system_account: trust.system.pub } });
    expect(decodeJwt(trust.account.jwt)).toMatchObject({ iss: trust.operator.pub, sub: trust.account.pub, nats: { type: 'account', version: 2, limits: { mem_storage: -1, disk_storage: -1, streams: -1, consumer: -1, conn: -1 } } });
    expect(decodeJwt(alice.jwt)).toMatchObject({ iss: trust.account.pub, sub: alice.pub, name: 'alice', nats: { type: 'user', version: 2 } });
    expect(decodeJwt(alice.jwt).jti).toMatch(/^[A-Z2-7]{52}$/);
    expect(alice.creds).toMatch(/^-----BEGIN NATS USER JWT-----\n[\w-]+\.[\w-]+\.[\w-]+\n------END NATS USER JWT------\n/);
    expect(alice.creds).toContain(`-----BEGIN USER NKEY SEED-----\n${alice.seed}\n------END USER NKEY SEED------\n`);
  });

  it('the server really requires a JWT user: no credentials are refused, the creds file is accepted with JetStream', async () => {
    await expect(connect({ servers: server.url, reconnect: false })).rejects.toThrow(/Authorization Violation/i);
    const nc: NatsConnection = await connect({ servers: server.url, reconnect: false, authenticator: credsAuthenticator(new TextEncoder().encode(alice.creds)) });
    try {
      const info = await (await jetstreamManager(nc)).getAccountInfo();
      expect(info.limits).toMatchObject({ max_memory: -1, max_storage: -1, max_streams: -1, max_consumers: -1 });
    } finally {
      await nc.close();
    }
  });
});

describe("NATS_CREDS through loom's NATS service", { timeout: 120_000 }, () => {
  it('connects with the creds file named by NATS_CREDS and uses JetStream as that user (a stream, a KV put and get)', async () => {
    const file = writeCreds('alice.creds', alice.creds);
    const nats = await natsFor({ NATS_URL: server.url, NATS_CREDS: file });
    await nats.connection();
    expect(nats.isConnected()).toBe(true);
    expect(nats.server()).toEqual({ url: server.url, source: 'config' });

    const jsm = await nats.manager();
    const stream = await jsm.streams.add({ name: 'CREDS_PROBE', subjects: ['creds.probe.>'] });
    expect(stream.config.name).toBe('CREDS_PROBE');
    const ack = await (await nats.jetstream()).publish('creds.probe.one', 'over a creds file');
    expect(ack.stream).toBe('CREDS_PROBE');

    const kv = await (await nats.kvm()).create('creds-probe');
    await kv.put('greeting', 'hello from alice');
    expect((await kv.get('greeting'))?.string()).toBe('hello from alice');
    await nats.close();
  });

  it('nats.creds in the config file works the same way (the key NATS_CREDS overrides)', async () => {
    const file = writeCreds('alice-config.creds', alice.creds);
    const project = join(dir, 'with-config');
    mkdirSync(project);
    writeFileSync(join(project, '.loomrc.json'), JSON.stringify({ nats: { url: server.url, creds: file } }));
    const nats = await natsFor({}, project);
    const kv = await (await nats.kvm()).open('creds-probe');
    expect((await kv.get('greeting'))?.string()).toBe('hello from alice');
    await nats.close();
  });

  it('a user signed by an account the server does not know is refused with LOOM_ERR_NATS_UNREACHABLE naming NATS_CREDS', async () => {
    const stranger = trust.user('mallory', mintStrayAccount(trust.operator.keys));
    secrets.push(stranger.seed, stranger.jwt);
    const file = writeCreds('stranger.creds', stranger.creds);
    const err = await connectFailure(await natsFor({ NATS_URL: server.url, NATS_CREDS: file }));
    expect(err.code).toBe('LOOM_ERR_NATS_UNREACHABLE');
    expect(err.message).toMatch(/^LOOM_ERR_NATS_UNREACHABLE: NATS at nats:\/\/127\.0\.0\.1:\d+ refused this client's credentials \(Authorization Violation\)/);
    expect(err.message).toContain('NATS_CREDS');
    expect(err.message).toContain(file);
    expectNoSecrets(err.message, JSON.stringify(err.details ?? {}));
  });

  it("a creds file whose seed is not the JWT's user (a swapped seed) is refused the same way", async () => {
    const other = trust.user('eve');
    secrets.push(other.seed);
    const file = writeCreds('swapped-seed.creds', credsFileText(alice.jwt, other.seed));
    const err = await connectFailure(await natsFor({ NATS_URL: server.url, NATS_CREDS: file }));
    expect(err.code).toBe('LOOM_ERR_NATS_UNREACHABLE');
    expect(err.message).toMatch(/refused this client's credentials \(Authorization Violation\)/);
    expect(err.message).toContain('NATS_CREDS');
    expectNoSecrets(err.message, JSON.stringify(err.details ?? {}));
  });

  it('a tampered seed (bad checksum) is a config error naming the file, found before anything is sent', async () => {
    const tampered = `${alice.seed.slice(0, 20)}${alice.seed[20] === 'A' ? 'B' : 'A'}${alice.seed.slice(21)}`;
    secrets.push(tampered);
    const file = writeCreds('tampered.creds', credsFileText(alice.jwt, tampered));
    const err = await connectFailure(await natsFor({ NATS_URL: server.url, NATS_CREDS: file }));
    expect(err.code).toBe('LOOM_ERR_CONFIG_INVALID');
    expect(err.message).toContain(`nats.creds (NATS_CREDS) names ${file}, which is not a NATS creds file (nkeys: invalid checksum)`);
    expectNoSecrets(err.message, JSON.stringify(err.details ?? {}));
  });

  it('a file that is not a creds file at all is a config error naming the file', async () => {
    const file = writeCreds('not-creds.txt', `just a seed on its own line\n${alice.seed}\n`);
    const err = await connectFailure(await natsFor({ NATS_URL: server.url, NATS_CREDS: file }));
    expect(err.code).toBe('LOOM_ERR_CONFIG_INVALID');
    expect(err.message).toContain(`nats.creds (NATS_CREDS) names ${file}, which is not a NATS creds file (unable to parse credentials)`);
    expectNoSecrets(err.message);
  });

  it('a missing creds file is LOOM_ERR_CONFIG_INVALID naming nats.creds, NATS_CREDS and the path (not a raw ENOENT)', async () => {
    const file = join(dir, 'nowhere', 'missing.creds');
    const err = await connectFailure(await natsFor({ NATS_URL: server.url, NATS_CREDS: file }));
    expect(err.code).toBe('LOOM_ERR_CONFIG_INVALID');
    expect(err.message).toBe(`LOOM_ERR_CONFIG_INVALID: nats.creds (NATS_CREDS) names ${file}, which cannot be read (no such file): point NATS_CREDS (or nats.creds in loom.config.ts) at the user's .creds file.`);
    expect(err.details).toEqual({ path: 'nats.creds', file });
  });
});

describe('loom warp with NATS_CREDS', { timeout: 120_000 }, () => {
  async function warp(agentSeed: string, env: Record<string, string>): Promise<McpSession> {
    const session = await spawnMcpServer({
      args: ['warp'],
      cwd: dir,
      env: { HOME: dir, LOOMINAL_HOME: dir, LOOMINAL_PROJECT_ID: PROJECT, LOOMINAL_AGENT_ID: agentSeed.repeat(32), LOOMINAL_PRINCIPAL: 'tester@nats-creds', NATS_URL: server.url, ...env },
    });
    sessions.push(session);
    return session;
  }

  it('a real MCP client drives loom warp over an operator-mode server: register, send a channel message, read it back', async () => {
    const file = writeCreds('warp.creds', alice.creds);
    const session = await warp('a', { NATS_CREDS: file });
    await session.call('register_agent', { agentType: 'dev', capabilities: ['creds'] });
    const sent = await session.call<{ id: string; sequence: number }>('send_message', { channel: 'roadmap', message: 'over a creds file' });
    expect(sent.id).toMatch(/^[0-9a-f]{32}$/);
    const page = await session.call<{ messages: Array<{ id: string; sequence: number; message: string; from: { agentId: string } }> }>('read_messages', { channel: 'roadmap' });
    expect(page.messages).toContainEqual(expect.objectContaining({ id: sent.id, sequence: sent.sequence, message: 'over a creds file', from: expect.objectContaining({ agentId: 'a'.repeat(32) }) }));

    // What warp wrote is on the server, in the creds user's account.
    const nc = await connect({ servers: server.url, reconnect: false, authenticator: credsAuthenticator(new TextEncoder().encode(alice.creds)) });
    try {
      expect((await (await openKv(nc, `loom-registry-${PROJECT}`)).get('a'.repeat(32)))?.json()).toMatchObject({ id: 'a'.repeat(32), capabilities: ['creds'] });
    } finally {
      await nc.close();
    }
    expectNoSecrets(session.stderr());
  });

  it('a missing NATS_CREDS file makes its tool calls fail with the coded error naming the file', async () => {
    const file = join(dir, 'gone.creds');
    const session = await warp('b', { NATS_CREDS: file });
    const result = await session.raw('register_agent', { agentType: 'dev' });
    expect(result.isError).toBe(true);
    const text = result.content.map((c) => c.text ?? '').join('\n');
    expect(text).toMatch(/^LOOM_ERR_CONFIG_INVALID: nats\.creds \(NATS_CREDS\) names .*gone\.creds, which cannot be read \(no such file\)/);
    expect(text).not.toMatch(/ENOENT|LOOM_ERR_INTERNAL/);
  });
});
