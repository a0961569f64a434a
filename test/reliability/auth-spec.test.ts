// `loom auth` without a server: the spec is validated with errors naming the field, and the generated permissions stay
// least-privilege (no wholesale JetStream API, only the agent's own inbox and keys).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { agentPermissions, weftPermissions } from '../../cli/auth/permissions.js';
import { generateAuth } from '../../cli/auth/generate.js';
import { parseAuthSpec } from '../../cli/auth/spec.js';
import { parseEnvFile } from '../../cli/auth/credentials.js';
import { provisionSigningKeys } from '../../cli/auth/provision-keys.js';
import { loomCommand } from '../../core/testing/loom-process.js';
import { createNames, generateSigningKey, isLoomError, publicKeyOf, readPrivateKey } from '../../core/index.js';
import { createMemoryBackend } from '../../plugins/storage/memory/index.js';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const spec = { project: 'p1', agents: [{ name: 'alice', id: A, principal: 'alice@x', capabilities: ['build'] }, { name: 'bob', id: B, principal: 'bob@x' }] };
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'loom-auth-spec-'));
  dirs.push(dir);
  return dir;
};

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the auth spec', () => {
  it.each([
    [{ ...spec, project: 'Bad.Project' }, 'project'],
    [{ ...spec, agents: [{ ...spec.agents[0], id: 'not-hex' }] }, 'agents[0].id'],
    [{ ...spec, agents: [{ ...spec.agents[0], capabilities: ['a.>'] }] }, 'agents[0].capabilities[0]'],
    [{ ...spec, agents: [spec.agents[0], { ...spec.agents[1], id: A }] }, 'agents'],
    [{ ...spec, extra: true }, 'extra'],
  ])('refuses %j naming %s', (value, field) => {
    let error: unknown;
    try {
      parseAuthSpec(value);
    } catch (err) {
      error = err;
    }
    expect(isLoomError(error, 'LOOM_ERR_INVALID_INPUT')).toBe(true);
    expect(String((error as Error).message)).toContain(field);
  });

  it('loom auth with a bad spec exits 2 and writes nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...spec, project: 'Bad.Project' }));
    const [node, ...prefix] = loomCommand();
    const result = await promisify(execFile)(node!, [...prefix, 'auth', '--spec', join(dir, 'bad.json'), '--out', join(dir, 'out')], { env: { PATH: process.env.PATH ?? '' } }).then(() => ({ code: 0, stderr: '' }), (err: { code: number; stderr: string }) => err);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/LOOM_ERR_INVALID_INPUT: .*project/);
    expect(() => readFileSync(join(dir, 'out', 'nats-auth.conf'))).toThrow();
  });
});

describe('generated permissions', () => {
  const alice = agentPermissions('p1', { user: 'agent-alice', agent: spec.agents[0]! as never, others: spec.agents, channels: ['roadmap'] });
  const weft = weftPermissions('p1', ['alice@x']);

  it('never grant the JetStream API, KV or all subjects wholesale', () => {
    for (const perms of [alice, weft]) {
      for (const subject of [...perms.publish.allow, ...perms.subscribe.allow]) {
        expect(['>', '$JS.API.>', '$JS.>', '$KV.>', '_INBOX.>', 'loom.>', '$JS.API.CONSUMER.>', '$JS.API.STREAM.>']).not.toContain(subject);
      }
    }
  });

  it("give an agent its own inbox, keys and control subject, and name every other agent's inbox durable in deny rules", () => {
    expect(alice.publish.allow).toContain(`$JS.API.CONSUMER.CREATE.LOOM_P1_INBOX.*.loom.p1.inbox.${A}.*`);
    // Direct messages to anyone, but only with its own id as the sender token.
    expect(alice.publish.allow.filter((s) => s.startsWith('loom.p1.inbox.'))).toEqual([`loom.p1.inbox.*.${A}`]);
    expect(alice.publish.allow).toEqual(expect.arrayContaining([`$KV.loom-receipts-p1.msg.${A}.*`, `$KV.loom-receipts-p1.seen.${A}.*`]));
    expect(alice.publish.allow).not.toContain('$KV.loom-receipts-p1.msg.*');
    expect(alice.publish.allow.filter((s) => s.includes(B))).toEqual([]);
    expect(alice.publish.allow).toContain(`$KV.pattern-p1-private.${A}.>`);
    expect(alice.publish.allow).not.toContain('$KV.pattern-p1-private.>');
    expect(alice.subscribe.allow).toEqual(expect.arrayContaining(['_INBOX_agent-alice.>', `loom.p1.control.${A}.>`]));
    expect(alice.subscribe.allow.some((s) => s.startsWith('loom.p1.inbox'))).toBe(false);
    expect(alice.publish.deny).toEqual(expect.arrayContaining([`$JS.API.CONSUMER.MSG.NEXT.LOOM_P1_INBOX.inbox-${B}`]));
  });

  it("let an agent request only shuttle's two weft operations, and weft all of its project's", () => {
    expect(alice.publish.allow.filter((s) => s.startsWith('coord.'))).toEqual(['coord.p1.targets.list', 'coord.p1.targets.spin-up']);
    expect(alice.subscribe.allow.some((s) => s.startsWith('coord.'))).toBe(false);
    expect(weft.publish.allow).toContain('coord.p1.>');
  });

  it('let an agent claim only the capabilities it was granted', () => {
    for (const level of [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]) expect(alice.publish.allow).toContain(`$JS.API.CONSUMER.MSG.NEXT.LOOM_P1_WORK.work-build-${level}`);
    expect(alice.publish.allow.some((s) => s.includes('MSG.NEXT.LOOM_P1_WORK.*'))).toBe(false);
  });

  it('write credentials files that keep their passwords on a second run, and rotate them on request', () => {
    const out = tempDir();
    const parsed = parseAuthSpec(spec);
    generateAuth(parsed, out);
    const first = parseEnvFile(readFileSync(join(out, 'agent-alice.env'), 'utf8'));
    generateAuth(parsed, out);
    expect(parseEnvFile(readFileSync(join(out, 'agent-alice.env'), 'utf8')).NATS_PASS).toBe(first.NATS_PASS);
    generateAuth(parsed, out, { rotate: true });
    expect(parseEnvFile(readFileSync(join(out, 'agent-alice.env'), 'utf8')).NATS_PASS).not.toBe(first.NATS_PASS);
    expect(first).toMatchObject({ NATS_USER: 'agent-alice', NATS_INBOX_PREFIX: '_INBOX_agent-alice', LOOMINAL_AGENT_ID: A, LOOMINAL_PROJECT_ID: 'p1', LOOMINAL_PRINCIPAL: 'alice@x' });
  });
});

describe('signing keys', () => {
  const envOf = (out: string, user: string) => parseEnvFile(readFileSync(join(out, `${user}.env`), 'utf8'));

  it('give every agent and shuttle a key in its .env (weft none), kept on a second run, new with --rotate, and its public half for provisioning', () => {
    const out = tempDir();
    const parsed = parseAuthSpec({ ...spec, services: ['weft', 'shuttle'] });
    const first = generateAuth(parsed, out);
    const keys = ['agent-alice', 'agent-bob', 'shuttle'].map((user) => envOf(out, user).LOOMINAL_SIGNING_KEY!);
    expect(new Set(keys).size).toBe(3);
    expect(envOf(out, 'weft').LOOMINAL_SIGNING_KEY).toBeUndefined();
    expect(first.publicKeys.map((k) => k.agentId)).toEqual([A, B, first.users.find((u) => u.kind === 'shuttle')!.agentId]);
    expect(first.publicKeys.map((k) => k.publicKey)).toEqual(keys.map((key) => publicKeyOf(readPrivateKey(key)!)));
    expect(first.publicKeys[0]).toMatchObject({ principal: 'alice@x' });
    generateAuth(parsed, out);
    expect(envOf(out, 'agent-alice').LOOMINAL_SIGNING_KEY).toBe(keys[0]);
    const rotated = generateAuth(parsed, out, { rotate: true });
    expect(envOf(out, 'agent-alice').LOOMINAL_SIGNING_KEY).not.toBe(keys[0]);
    expect(rotated.publicKeys[0]!.publicKey).not.toBe(first.publicKeys[0]!.publicKey);
  });

  it('are readable by every agent and writable by none; weft, the provisioning user, may write them', () => {
    const keysBucket = createNames('p1').signingKeysBucket;
    const alice = agentPermissions('p1', { user: 'agent-alice', agent: spec.agents[0]! as never, others: spec.agents, channels: ['roadmap'] });
    expect(alice.publish.allow).toContain(`$JS.API.DIRECT.GET.KV_${keysBucket}.$KV.${keysBucket}.>`);
    expect(alice.publish.allow.filter((s) => s.startsWith(`$KV.${keysBucket}`))).toEqual([]);
    expect(weftPermissions('p1', ['alice@x']).publish.allow).toContain(`$KV.${keysBucket}.>`);
  });

  it('provisioning writes each listed key, leaves unchanged ones alone and removes the keys of agents no longer listed', async () => {
    const backend = createMemoryBackend();
    const bucket = await backend.openBucket({ name: createNames('p1').signingKeysBucket });
    const [alice, bob, gone] = [generateSigningKey(), generateSigningKey(), generateSigningKey()];
    await provisionSigningKeys(bucket, [
      { agentId: A, principal: 'alice@x', publicKey: alice.publicKey },
      { agentId: B, principal: 'bob@x', publicKey: bob.publicKey },
      { agentId: 'd'.repeat(32), principal: 'dave@x', publicKey: gone.publicKey },
    ]);
    const aliceRevision = (await bucket.get(A))!.revision;
    const bobNew = generateSigningKey();
    const result = await provisionSigningKeys(bucket, [
      { agentId: A, principal: 'alice@x', publicKey: alice.publicKey },
      { agentId: B, principal: 'bob@x', publicKey: bobNew.publicKey },
    ]);
    expect(result).toEqual({ agents: [A, B], removed: ['d'.repeat(32)] });
    expect(await bucket.keys()).toEqual([A, B]);
    expect((await bucket.get(A))!.revision).toBe(aliceRevision);
    expect((await bucket.get(B))!.value).toEqual({ publicKey: bobNew.publicKey, principal: 'bob@x' });
    await backend.close();
  });

  it('loom warp with a malformed LOOMINAL_SIGNING_KEY stops at startup naming the variable, never showing its value', async () => {
    const dir = tempDir();
    const bad = `${generateSigningKey().privateKey.slice(0, 40)}!!`;
    const [node, ...prefix] = loomCommand();
    const env = { PATH: process.env.PATH ?? '', HOME: dir, LOOMINAL_HOME: dir, LOOMINAL_PROJECT_ID: 'p1', LOOMINAL_AGENT_ID: A, LOOMINAL_SIGNING_KEY: bad, NATS_URL: 'nats://127.0.0.1:1' };
    const result = await promisify(execFile)(node!, [...prefix, 'warp'], { cwd: dir, env, timeout: 30_000 }).then(() => ({ code: 0, stderr: '' }), (err: { code: number; stderr: string }) => err);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/LOOM_ERR_CONFIG_INVALID: .*LOOMINAL_SIGNING_KEY/);
    expect(result.stderr).not.toContain(bad);
  });
});
