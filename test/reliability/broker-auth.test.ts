// `loom auth` credentials against a nats-server running its config: agents work normally, and the broker itself refuses
// agent B reading A's inbox, consuming A's durable, reading A's private memories or acting as A; readers refuse
// channel messages B posts as A, since A's are signed with the key loom auth provisioned for it.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { SIGNATURE_HEADER, createNames, publicKeyOf, readPrivateKey, signChannelMessage } from '../../core/index.js';
import type { McpSession } from '../../core/testing/mcp-client.js';
import { loomCommand } from '../../core/testing/loom-process.js';
import { until } from './support/fabric.js';
import { refusal, refusedByServer, startAuthFabric, subscriptionVerdict, type AuthFabric } from './support/auth-fabric.js';

const ALICE = 'a1'.repeat(16);
const BOB = 'b2'.repeat(16);
/** An agent nobody listed: no key is provisioned for it. */
const CAROL = 'c3'.repeat(16);
const names = createNames('secure');
const spec = {
  project: 'secure',
  agents: [
    { name: 'alice', id: ALICE, principal: 'alice@auth-test', capabilities: ['build'] },
    { name: 'bob', id: BOB, principal: 'bob@auth-test', capabilities: ['review'] },
  ],
  services: ['weft'],
};
const WORK_ENV = { LOOMINAL_ACK_WAIT_MS: '5000', LOOMINAL_CLAIM_POLL_MS: '100' };

let fabric: AuthFabric;
let aliceWarp: McpSession;
let bobWarp: McpSession;
let alicePattern: McpSession;
let bob: NatsConnection;
let bobJsm: JetStreamManager;
let aliceMemoryKey: string;

beforeAll(async () => {
  fabric = await startAuthFabric(spec, WORK_ENV);
  [aliceWarp, bobWarp, alicePattern] = await Promise.all([fabric.session('warp', 'agent-alice'), fabric.session('warp', 'agent-bob'), fabric.session('pattern', 'agent-alice')]);
  bob = await fabric.connectAs('agent-bob');
  bobJsm = await jetstreamManager(bob);
}, 120_000);

afterAll(async () => {
  await fabric?.close();
});

describe('loom auth output', () => {
  it('writes the server config and one credentials file per user, readable by the owner only, and prints no password', () => {
    for (const file of ['nats-auth.conf', 'agent-alice.env', 'agent-bob.env', 'weft.env']) expect(statSync(join(fabric.outDir, file)).mode & 0o777).toBe(0o600);
    const conf = readFileSync(join(fabric.outDir, 'nats-auth.conf'), 'utf8');
    expect(conf).toMatch(/authorization \{\s+users = \[/);
    expect(conf).not.toContain('"$JS.API.>"');
    for (const user of ['agent-alice', 'agent-bob', 'weft']) {
      const password = fabric.credentials(user).NATS_PASS!;
      expect(password.length).toBeGreaterThanOrEqual(40);
      for (const output of fabric.outputs) expect(output).not.toContain(password);
    }
    expect(fabric.outputs[1]).toMatch(/provisioned \d+ streams/);
  });

  it('gives each agent its own signing key in its .env, never printed or logged (even at trace level), kept on a re-run and provisioned', async () => {
    const users = ['agent-alice', 'agent-bob'];
    const keys = users.map((user) => fabric.credentials(user).LOOMINAL_SIGNING_KEY!);
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(keys).size).toBe(2);
    expect(fabric.credentials('weft').LOOMINAL_SIGNING_KEY).toBeUndefined();
    const rerun = await fabric.auth(['--provision'], { LOG_LEVEL: 'trace' });
    await fabric.auth(['--provision', '--json'], { LOG_LEVEL: 'trace' });
    expect(rerun).toMatch(/public signing keys of 2 agents/);
    expect(users.map((user) => fabric.credentials(user).LOOMINAL_SIGNING_KEY)).toEqual(keys);
    for (const output of fabric.outputs) for (const key of keys) expect(output.includes(key), 'a private key in the output of loom auth').toBe(false);
    for (const conf of ['nats-auth.conf', 'weft.env']) for (const key of keys) expect(readFileSync(join(fabric.outDir, conf), 'utf8').includes(key)).toBe(false);
    // What readers find: each agent's public key under its id, readable by any agent of the project.
    for (const [id, key] of [[ALICE, keys[0]!], [BOB, keys[1]!]] as const) {
      const entry = await bobJsm.direct.getMessage(`KV_${names.signingKeysBucket}`, { last_by_subj: `$KV.${names.signingKeysBucket}.${id}` });
      expect(entry?.json()).toEqual({ publicKey: publicKeyOf(readPrivateKey(key)!), principal: id === ALICE ? 'alice@auth-test' : 'bob@auth-test' });
    }
  });

  it('a client without credentials is turned away', async () => {
    const err = await refusal(connect({ servers: fabric.nats.url, maxReconnectAttempts: 0, reconnect: false }));
    expect(String(err)).toMatch(/Authorization/i);
  });
});

describe('agents under their own credentials', () => {
  it('send and read channel messages, direct messages, work and memories as usual', async () => {
    await aliceWarp.call('register_agent', { agentType: 'dev', capabilities: ['build'] });
    await bobWarp.call('register_agent', { agentType: 'dev', capabilities: ['review'] });
    await aliceWarp.call('send_message', { channel: 'roadmap', message: 'plan for everyone' });
    const page = await bobWarp.call<{ messages: Array<{ message: string }> }>('read_messages', { channel: 'roadmap' });
    expect(page.messages.map((m) => m.message)).toContain('plan for everyone');

    await aliceWarp.call('send_direct_message', { recipientId: BOB, message: 'for bob only' });
    await aliceWarp.call('send_direct_message', { recipientId: BOB, message: 'and this too' });
    // A read that stops before the end counts the rest with a second scan: bob's own inbox subject allows it.
    const first = await bobWarp.call<{ messages: Array<{ message: string }>; unreadRemaining: number }>('read_direct_messages', { limit: 1 });
    expect(first.messages.map((m) => m.message)).toEqual(['for bob only']);
    expect(first.unreadRemaining).toBe(1);
    const inbox = await bobWarp.call<{ messages: Array<{ message: string }> }>('read_direct_messages', {});
    expect(inbox.messages.map((m) => m.message)).toEqual(['and this too']);

    await aliceWarp.call('broadcast_work_offer', { taskId: 'auth', description: 'review it', requiredCapability: 'review', workId: 'auth-w1' });
    const claimed = await bobWarp.call<{ claimed: boolean; work: { workId: string } }>('claim_work', { capability: 'review', timeout: 5000 });
    expect(claimed.work.workId).toBe('auth-w1');
    await bobWarp.call('complete_work', { workId: 'auth-w1', result: 'looks good' });
    const agents = await aliceWarp.call<{ agents: Array<{ id: string }> }>('discover_agents', {});
    expect(agents.agents.map((a) => a.id).sort()).toEqual([ALICE, BOB].sort());

    const remembered = await alicePattern.call<{ memory: { id: string; category: string } }>('remember', { content: 'alice keeps this to herself' });
    aliceMemoryKey = names.memoryKey(remembered.memory.category, remembered.memory.id, ALICE);
    const recalled = await alicePattern.call<{ summary: string }>('recall_context', {});
    expect(recalled.summary).toContain('alice keeps this to herself');
  });
});

describe('a `loom agent` worker under its agent credentials', () => {
  it('claims work of its granted capability and completes it', async () => {
    const [node, ...prefix] = loomCommand();
    const worker = spawn(node!, [...prefix, 'agent', '--capability', 'build', '--', process.execPath, '-e', "process.stdout.write('built')"], {
      cwd: fabric.dir,
      stdio: 'ignore',
      env: { PATH: process.env.PATH ?? '', HOME: fabric.dir, LOG_LEVEL: 'warn', NATS_URL: fabric.nats.url, ...fabric.credentials('agent-alice'), ...WORK_ENV },
    });
    try {
      await bobWarp.call('broadcast_work_offer', { taskId: 'auth', description: 'build it', requiredCapability: 'build', workId: 'auth-build-1' });
      const completions = await new Kvm(bob).create(names.completionsBucket);
      const done = await until(async () => (await completions.get('auth-build-1'))?.json<{ agentId: string; result: string }>(), 'the worker to complete the item', 30_000);
      expect(done).toMatchObject({ agentId: ALICE, result: 'built' });
    } finally {
      worker.kill('SIGTERM');
    }
  });
});

describe('agent B against agent A, refused by the server itself', () => {
  it("cannot subscribe to A's inbox subject, A's control subject or A's reply inbox", async () => {
    for (const subject of [names.inboxRecipientWildcard(ALICE), names.inboxSubject(ALICE, BOB), names.controlSubject(ALICE, 'shutdown'), '_INBOX_agent-alice.>', '_INBOX.>', 'loom.secure.inbox.*.*']) {
      const verdict = await subscriptionVerdict(bob, subject);
      expect(refusedByServer(verdict), subject).toBe(true);
    }
  });

  it("cannot read A's inbox through a consumer, a message get or A's durable", async () => {
    const named = await refusal(bobJsm.consumers.add(names.inboxStream, { name: 'peek', filter_subject: names.inboxRecipientWildcard(ALICE) }));
    expect(refusedByServer(named)).toBe(true);
    const durable = await refusal(bobJsm.consumers.add(names.inboxStream, { durable_name: 'peek', filter_subject: names.inboxRecipientWildcard(ALICE) }));
    expect(refusedByServer(durable)).toBe(true);
    const unnamed = await refusal(bob.request(`$JS.API.CONSUMER.CREATE.${names.inboxStream}`, JSON.stringify({ stream_name: names.inboxStream, config: { filter_subject: names.inboxRecipientWildcard(ALICE), ack_policy: 'none' } })));
    expect(refusedByServer(unnamed)).toBe(true);
    const get = await refusal(bobJsm.streams.getMessage(names.inboxStream, { seq: 1 }));
    expect(refusedByServer(get)).toBe(true);
    const pull = await refusal(bob.request(`$JS.API.CONSUMER.MSG.NEXT.${names.inboxStream}.${names.inboxConsumer(ALICE)}`, JSON.stringify({ batch: 1, no_wait: true })));
    expect(refusedByServer(pull)).toBe(true);
    const info = await refusal(bobJsm.consumers.info(names.inboxStream, names.inboxConsumer(ALICE)));
    expect(refusedByServer(info)).toBe(true);
  });

  it('can do the same with its own inbox (the refusals above are about A, not about consumers)', async () => {
    const own = await bobJsm.consumers.add(names.inboxStream, { name: 'own-scan', filter_subject: names.inboxRecipientWildcard(BOB), inactive_threshold: 5_000_000_000 });
    expect(own.config.filter_subject).toBe(names.inboxRecipientWildcard(BOB));
    await bobJsm.consumers.delete(names.inboxStream, own.name);
  });

  it("cannot read A's private memories by key, by watch or by message get", async () => {
    const bucket = names.memoryBucket('private');
    // create() reads the bucket's info first, so gets go by key (direct get): the narrow, per-key path.
    const kv = await new Kvm(bob).create(bucket);
    expect(refusedByServer(await refusal(kv.get(aliceMemoryKey)))).toBe(true);
    // The same get under its own prefix is allowed (nothing stored there: null, not a refusal).
    expect(await kv.get(names.memoryKey('recent', '0'.repeat(32), BOB))).toBeNull();
    expect(refusedByServer(await refusal(kv.watch({ key: `${ALICE}.>` })))).toBe(true);
    expect(refusedByServer(await refusal(bobJsm.streams.getMessage(`KV_${bucket}`, { last_by_subj: `$KV.${bucket}.${aliceMemoryKey}` })))).toBe(true);
    expect(refusedByServer(await refusal(bobJsm.consumers.add(`KV_${bucket}`, { name: 'peek', filter_subject: `$KV.${bucket}.>` })))).toBe(true);
  });

  it('cannot act as A: write its registry entry, its memories, its handle, or ack its inbox deliveries', async () => {
    const js = (await import('@nats-io/jetstream')).jetstream(bob);
    const asAlice = JSON.stringify({ id: ALICE, status: 'offline' });
    const receiptKeys = [`cursor.${ALICE}`, `msg.${ALICE}.${'c3'.repeat(16)}`, `seen.${ALICE}.${'c3'.repeat(16)}`].map((key) => `$KV.${names.receiptsBucket}.${key}`);
    // Signing keys: not A's, and not even its own (else B could swap in a key of its choosing for A's id).
    const keyWrites = [ALICE, BOB].map((id) => `$KV.${names.signingKeysBucket}.${id}`);
    for (const subject of [`$KV.${names.registryBucket}.${ALICE}`, `$KV.${names.memoryBucket('private')}.${aliceMemoryKey}`, `$KV.${names.identityBucket}.${ALICE}.root`, ...receiptKeys, ...keyWrites]) {
      expect(refusedByServer(await refusal(js.publish(subject, asAlice))), subject).toBe(true);
    }
    const ack = await refusal(bob.request(`$JS.ACK.${names.inboxStream}.${names.inboxConsumer(ALICE)}.1.1.1.0.0`, '+ACK'));
    expect(refusedByServer(ack)).toBe(true);
  });

  it('cannot claim work of a capability it was not granted', async () => {
    const pull = await refusal(bob.request(`$JS.API.CONSUMER.MSG.NEXT.${names.workStream}.${names.workConsumer('build', 5)}`, JSON.stringify({ batch: 1, no_wait: true })));
    expect(refusedByServer(pull)).toBe(true);
  });

  it('cannot reach the JetStream API wholesale: no stream creation, deletion or listing', async () => {
    expect(refusedByServer(await refusal(bobJsm.streams.add({ name: 'SNOOP', subjects: ['loom.secure.inbox.>'] })))).toBe(true);
    expect(refusedByServer(await refusal(bobJsm.streams.delete(names.inboxStream)))).toBe(true);
    expect(refusedByServer(await refusal(bob.request('$JS.API.STREAM.NAMES', '{}')))).toBe(true);
    const h = headers();
    h.set('Nats-Msg-Id', 'x');
    expect(refusedByServer(await refusal(bob.request('$JS.API.STREAM.PURGE.' + names.inboxStream, '{}', { headers: h, timeout: 5000 })))).toBe(true);
  });
});

describe('direct messages carry the sender the server let through', () => {
  it('B cannot publish a direct message as A, to anyone, nor on the old subject without a sender', async () => {
    const js = jetstream(bob);
    for (const subject of [names.inboxSubject(BOB, ALICE), names.inboxSubject(ALICE, ALICE), `loom.secure.inbox.${ALICE}`]) {
      expect(refusedByServer(await refusal(js.publish(subject, '{}'))), subject).toBe(true);
    }
  });

  it("B's own message reaches A with B as sender and B gets its receipt; a payload claiming A on B's subject is dropped", async () => {
    const forged = { messageId: 'f0'.repeat(16), from: { agentId: ALICE, projectId: 'secure' }, to: ALICE, messageType: 'text', message: 'I am alice', receipt: false, sentAt: new Date().toISOString() };
    await jetstream(bob).publish(names.inboxSubject(ALICE, BOB), JSON.stringify(forged), { msgID: forged.messageId });
    const sent = await bobWarp.call<{ messageId: string }>('send_direct_message', { recipientId: ALICE, message: 'from bob, really' });
    const inbox = await aliceWarp.call<{ messages: Array<{ message: string; from: { agentId: string } }>; unreadRemaining: number }>('read_direct_messages', {});
    expect(inbox.messages.map((m) => [m.message, m.from.agentId])).toEqual([['from bob, really', BOB]]);
    expect(inbox.unreadRemaining).toBe(0);
    const asked = await bobWarp.call<{ receipts: Array<{ messageId: string; state: string; recipientId?: string }> }>('read_direct_messages', { receiptsFor: [sent.messageId] });
    expect(asked.receipts).toEqual([expect.objectContaining({ messageId: sent.messageId, state: 'read', recipientId: ALICE })]);
    // A cannot see B's receipt: it is B's record, not hers.
    const notHers = await aliceWarp.call<{ receipts: Array<{ state: string }> }>('read_direct_messages', { receiptsFor: [sent.messageId] });
    expect(notHers.receipts).toEqual([expect.objectContaining({ state: 'unknown' })]);
  });
});

describe('channel messages carry a sender readers can check', () => {
  interface ChannelPage {
    messages: Array<{ id: string; sequence: number; message: string; from: { agentId: string }; verified: boolean; untrusted: true }>;
    olderCursor?: number;
    lastSequence: number;
  }
  const newId = () => randomBytes(16).toString('hex');
  const payloadAs = (agentId: string, message: string) => ({ id: newId(), channel: 'errors', from: { agentId, projectId: 'secure' }, message, sentAt: new Date().toISOString() });
  /** A raw JetStream publish on bob's own connection and credentials, with whatever headers bob chooses. */
  const publishAsBob = (channel: string, payload: string | Uint8Array, msgID: string, signature?: string) => {
    const h = headers();
    if (signature) h.set(SIGNATURE_HEADER, signature);
    return jetstream(bob).publish(names.channelSubject(channel), payload, { msgID, headers: h });
  };
  /** Every message of a channel, newest page first and then by olderCursor: what paging gives a reader. */
  async function pageThrough(reader: McpSession, channel: string): Promise<ChannelPage['messages']> {
    const all: ChannelPage['messages'] = [];
    let before: number | undefined;
    for (let pages = 0; pages < 50; pages++) {
      const page = await reader.call<ChannelPage>('read_messages', { channel, limit: 2, ...(before !== undefined ? { before } : {}) });
      all.unshift(...page.messages);
      if (page.olderCursor === undefined) return all;
      before = page.olderCursor;
    }
    throw new Error('paging did not end');
  }

  it("A's own message is signed by A's process and comes back verified", async () => {
    const sent = await aliceWarp.call<{ id: string; sequence: number; signed: boolean }>('send_message', { channel: 'errors', message: 'alice, signed' });
    expect(sent.signed).toBe(true);
    const stored = await bobJsm.streams.getMessage(names.channelsStream, { seq: sent.sequence });
    expect(stored?.header.get(SIGNATURE_HEADER)).toMatch(/^[A-Za-z0-9_-]{86}$/);
    const page = await bobWarp.call<ChannelPage>('read_messages', { channel: 'errors' });
    expect(page.messages.find((m) => m.id === sent.id)).toMatchObject({ message: 'alice, signed', from: { agentId: ALICE }, verified: true, untrusted: true });
  });

  it("B posting as A (raw, a doctored copy of A's signed message, signed with B's own key, or A's message replayed) never reaches a reader", async () => {
    const since = (await aliceWarp.call<ChannelPage>('read_messages', { channel: 'errors', limit: 1 })).lastSequence;
    const original = await aliceWarp.call<{ id: string; sequence: number }>('send_message', { channel: 'roadmap', message: 'alice on the roadmap' });
    const stored = (await bobJsm.streams.getMessage(names.channelsStream, { seq: original.sequence }))!;
    const aliceSignature = stored.header.get(SIGNATURE_HEADER);

    const raw = payloadAs(ALICE, 'FORGED: raw, unsigned');
    await publishAsBob('errors', JSON.stringify(raw), raw.id);
    const doctored = { ...stored.json<Record<string, unknown>>(), id: newId(), channel: 'errors', message: "FORGED: alice's signature on another text" };
    await publishAsBob('errors', JSON.stringify(doctored), doctored.id as string, aliceSignature);
    const ownKey = payloadAs(ALICE, "FORGED: signed with bob's key");
    const bytes = Buffer.from(JSON.stringify(ownKey));
    const bobKey = readPrivateKey(fabric.credentials('agent-bob').LOOMINAL_SIGNING_KEY!)!;
    await publishAsBob('errors', bytes, ownKey.id, signChannelMessage(bobKey, { projectId: 'secure', channel: 'errors', agentId: ALICE, messageId: ownKey.id, sentAt: ownKey.sentAt, payload: bytes }));
    // A's exact message on another channel: under its own id the server drops it as a duplicate (inside the duplicate
    // window); under a new Nats-Msg-Id it is stored, and readers drop it (the signature binds the channel and the id).
    expect((await publishAsBob('errors', stored.data, original.id, aliceSignature)).duplicate).toBe(true);
    await publishAsBob('errors', stored.data, newId(), aliceSignature);
    await publishAsBob('roadmap', stored.data, newId(), aliceSignature);
    const genuine = await bobWarp.call<{ sequence: number }>('send_message', { channel: 'errors', message: 'bob, after the forgeries' });

    for (const reader of [aliceWarp, bobWarp]) {
      const fresh = await reader.call<ChannelPage>('read_messages', { channel: 'errors', since });
      expect(fresh.messages.map((m) => [m.message, m.from.agentId, m.verified])).toEqual([['bob, after the forgeries', BOB, true]]);
      expect(fresh.lastSequence).toBe(genuine.sequence);
      // Paging back two messages at a time steps over the dropped ones: the cursors count them, no page is lost.
      const errors = await pageThrough(reader, 'errors');
      expect(errors.map((m) => m.message)).toEqual(['alice, signed', 'bob, after the forgeries']);
      expect(errors.every((m) => m.verified)).toBe(true);
      const roadmap = (await pageThrough(reader, 'roadmap')).filter((m) => m.message === 'alice on the roadmap');
      expect(roadmap.map((m) => [m.id, m.verified])).toEqual([[original.id, true]]);
    }
    // The reader's log says what it dropped and who was claimed, never the content.
    expect(aliceWarp.stderr()).toMatch(/skipped a channel message that/);
    expect(aliceWarp.stderr()).not.toMatch(/FORGED/);
  });

  it('a message naming an agent with no provisioned key is returned, marked verified: false', async () => {
    const claim = payloadAs(CAROL, 'carol has no key');
    await publishAsBob('errors', JSON.stringify(claim), claim.id);
    const page = await aliceWarp.call<ChannelPage>('read_messages', { channel: 'errors', limit: 5 });
    expect(page.messages.find((m) => m.id === claim.id)).toMatchObject({ message: 'carol has no key', from: { agentId: CAROL }, verified: false, untrusted: true });
  });
});

describe("weft's NATS API: an agent reaches only what shuttle's spin-up asks", () => {
  it('B may list targets and request a spin-up; creating a target, shutting an agent down or cancelling work is refused by the server', async () => {
    const weft = await fabric.connectAs('weft');
    // A stand-in for weft's API on every coord subject of the project: whatever the server lets through gets an answer.
    const sub = weft.subscribe('coord.*.>', { callback: (_err, msg) => void msg.respond(JSON.stringify({ ok: true, data: { subject: msg.subject } })) });
    await weft.flush();
    try {
      for (const verb of ['list', 'spin-up']) {
        const reply = await bob.request(names.coordSubject('targets', verb), '{}', { timeout: 5000 });
        expect(reply.json()).toEqual({ ok: true, data: { subject: names.coordSubject('targets', verb) } });
      }
      const local = JSON.stringify({ id: 'evil', mechanism: 'local', capabilities: ['review'], config: { command: 'touch /tmp/pwned' } });
      for (const [area, verb] of [['targets', 'create'], ['targets', 'update'], ['targets', 'delete'], ['agents', 'shutdown'], ['work', 'cancel'], ['dlq', 'discard']] as const) {
        expect(refusedByServer(await refusal(bob.request(names.coordSubject(area, verb), local, { timeout: 5000 }))), `${area}.${verb}`).toBe(true);
      }
      expect(refusedByServer(await refusal(bob.request('coord.global.projects', '{}', { timeout: 5000 })))).toBe(true);
    } finally {
      sub.unsubscribe();
    }
  });
});
