// Direct messages end to end: durable inboxes, exactly-once reads, filters that lose nothing, receipts, an empty inbox at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckPolicy } from '@nats-io/jetstream';
import type { McpSession } from '../../core/testing/mcp-client.js';
import { agentIdFor, errorText, eventually, startWarpFixture, streamLastSeq, type WarpFixture } from './messaging-fixture.js';

interface Inbox {
  messages: Array<{ messageId: string; from: { agentId: string; handle?: string }; messageType: string; message: string; replyTo?: string; untrusted: true }>;
  unreadRemaining: number;
  receipts?: Array<{ messageId: string; state: string; deliveredAt?: string; readAt?: string }>;
  note: string;
}

const PROJECT = 'dm-e2e';
const INBOX_STREAM = 'LOOM_DM-E2E_INBOX';
let fixture: WarpFixture;
let alice: McpSession;
let carol: McpSession;

const start = (seed: string, env: Record<string, string> = {}) => fixture.warp({ projectId: PROJECT, agentId: agentIdFor(seed), env });
const read = (session: McpSession, args: Record<string, unknown> = {}) => session.call<Inbox>('read_direct_messages', args);

beforeAll(async () => {
  fixture = await startWarpFixture();
  [alice, carol] = await Promise.all([start('a'), start('c')]);
  await alice.call('set_handle', { handle: 'alice' });
});

afterAll(async () => {
  await fixture?.close();
});

describe('direct messages', () => {
  it('a message to an agent that is not running is delivered when it starts, and its receipt moves sent → delivered → read', async () => {
    const sent = await alice.call<{ messageId: string; recipientStatus: string }>('send_direct_message', { recipientId: agentIdFor('b'), message: 'welcome aboard', messageType: 'greeting' });
    expect(sent.messageId).toMatch(/^[0-9a-f]{32}$/);
    expect(sent.recipientStatus).toBe('unknown');
    const receiptOf = async () => (await read(alice, { receiptsFor: [sent.messageId] })).receipts?.[0]?.state;
    expect(await receiptOf()).toBe('sent');

    const bob = await start('b');
    await eventually(receiptOf, (state) => state === 'delivered', { what: 'receipt delivered after bob started' });
    const inbox = await read(bob);
    expect(inbox.messages).toHaveLength(1);
    expect(inbox.messages[0]).toMatchObject({ messageId: sent.messageId, message: 'welcome aboard', messageType: 'greeting', from: { agentId: agentIdFor('a'), handle: 'alice' }, untrusted: true });
    expect(inbox.note).toMatch(/untrusted/);
    expect(await receiptOf()).toBe('read');
    // Receipts are the sender's: bob cannot read alice's.
    expect((await read(bob, { receiptsFor: [sent.messageId] })).receipts?.[0]?.state).toBe('unknown');
    await bob.close();
  });

  it('a message to a running agent is returned by its next read exactly once', async () => {
    const dave = await start('d');
    expect((await read(dave)).messages).toEqual([]);
    const sent = await alice.call<{ messageId: string }>('send_direct_message', { recipientId: agentIdFor('d'), message: 'ping', replyTo: 'f'.repeat(32) });
    const first = await read(dave);
    expect(first.messages.map((m) => m.messageId)).toEqual([sent.messageId]);
    expect(first.messages[0]?.replyTo).toBe('f'.repeat(32));
    expect(first.unreadRemaining).toBe(0);
    expect((await read(dave)).messages).toEqual([]);
    await dave.close();
    // Read state is kept in NATS: a restarted server does not hand the message out again.
    const daveAgain = await start('d');
    expect((await read(daveAgain)).messages).toEqual([]);
    await daveAgain.close();
  });

  it('filtered reads return only what matches and lose nothing they skip', async () => {
    const erin = await start('e');
    const q1 = await alice.call<{ messageId: string }>('send_direct_message', { recipientId: agentIdFor('e'), message: 'q1', messageType: 'question' });
    const n1 = await alice.call<{ messageId: string }>('send_direct_message', { recipientId: agentIdFor('e'), message: 'n1', messageType: 'note' });
    const q2 = await alice.call<{ messageId: string }>('send_direct_message', { recipientId: agentIdFor('e'), message: 'q2', messageType: 'question' });
    const c1 = await carol.call<{ messageId: string }>('send_direct_message', { recipientId: agentIdFor('e'), message: 'c1', messageType: 'note' });

    const questions = await read(erin, { messageType: 'question' });
    expect(questions.messages.map((m) => m.messageId)).toEqual([q1.messageId, q2.messageId]);
    expect(questions.unreadRemaining).toBe(2);
    const fromCarol = await read(erin, { senderId: agentIdFor('c') });
    expect(fromCarol.messages.map((m) => m.messageId)).toEqual([c1.messageId]);
    expect(fromCarol.unreadRemaining).toBe(1);
    expect((await read(erin, { messageType: 'question' })).messages).toEqual([]);

    const limited = await read(erin, { limit: 1 });
    expect(limited.messages.map((m) => m.messageId)).toEqual([n1.messageId]);
    const q3 = await alice.call<{ messageId: string }>('send_direct_message', { recipientId: agentIdFor('e'), message: 'q3', messageType: 'question' });
    const rest = await read(erin);
    expect(rest.messages.map((m) => m.messageId)).toEqual([q3.messageId]);
    expect(rest.unreadRemaining).toBe(0);
    expect((await read(erin)).messages).toEqual([]);
    await erin.close();
  });

  it('an empty inbox answers at once, even when a fetch could wait far longer than the test may run', async () => {
    // A fetch that waited would take 10 minutes: a read that comes back within 2 s did not wait for it. Generous for
    // a loaded machine, it is no performance bound, only 300 times shorter than the timeout it proves unused.
    const FETCH_TIMEOUT_MS = 600_000;
    const AT_ONCE_MS = 2_000;
    const frank = await start('0', { LOOMINAL_INBOX_FETCH_TIMEOUT_MS: String(FETCH_TIMEOUT_MS) });
    const timedRead = async (args: Record<string, unknown> = {}) => {
      const started = performance.now();
      const inbox = await read(frank, args);
      return { inbox, ms: performance.now() - started };
    };
    const empty = await timedRead();
    expect(empty.inbox.messages).toEqual([]);
    expect(empty.inbox.unreadRemaining).toBe(0);
    expect(empty.ms).toBeLessThan(AT_ONCE_MS);
    await alice.call('send_direct_message', { recipientId: agentIdFor('0'), message: 'one' });
    expect((await read(frank)).messages.map((m) => m.message)).toEqual(['one']);
    // Everything read: the inbox is empty again, and still answers at once, filtered or not.
    const drained = await timedRead();
    expect(drained.inbox.messages).toEqual([]);
    expect(drained.ms).toBeLessThan(AT_ONCE_MS);
    const filtered = await timedRead({ messageType: 'question' });
    expect(filtered.inbox.messages).toEqual([]);
    expect(filtered.ms).toBeLessThan(AT_ONCE_MS);
    await frank.close();
  }, 60_000);

  it('rejects bad input to the message tools, naming the field, and publishes nothing', async () => {
    const before = await streamLastSeq(fixture.jsm, INBOX_STREAM);
    const recipientId = agentIdFor('b');
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['send_direct_message', { message: 'hi' }, 'recipientId'],
      ['send_direct_message', { recipientId }, 'message'],
      ['send_direct_message', { recipientId: 12, message: 'hi' }, 'recipientId'],
      ['send_direct_message', { recipientId: 'bob.smith', message: 'hi' }, 'recipientId'],
      ['send_direct_message', { recipientId: 'abcd*', message: 'hi' }, 'recipientId'],
      ['send_direct_message', { recipientId: 'abcd>', message: 'hi' }, 'recipientId'],
      ['send_direct_message', { recipientId: 'ab cd ef', message: 'hi' }, 'recipientId'],
      ['send_direct_message', { recipientId, message: 'x'.repeat(1_000_001) }, 'message'],
      ['send_direct_message', { recipientId, message: 'hi', messageType: 'a.b' }, 'messageType'],
      ['send_direct_message', { recipientId, message: 'hi', messageType: 'a b' }, 'messageType'],
      ['send_direct_message', { recipientId, message: 'hi', replyTo: 'not hex' }, 'replyTo'],
      ['send_direct_message', { recipientId, message: 'hi', metadata: [1, 2] }, 'metadata'],
      ['send_direct_message', { recipientId, message: 'hi', receipt: 'yes' }, 'receipt'],
      ['read_direct_messages', { limit: 0 }, 'limit'],
      ['read_direct_messages', { limit: 'all' }, 'limit'],
      ['read_direct_messages', { messageType: 'q*' }, 'messageType'],
      ['read_direct_messages', { senderId: 'alice' }, 'senderId'],
      ['read_direct_messages', { receiptsFor: 'abc' }, 'receiptsFor'],
      ['read_direct_messages', { receiptsFor: ['a.b'] }, 'receiptsFor'],
    ];
    for (const [tool, args, field] of cases) {
      const text = await errorText(alice, tool, args);
      expect(text, `${tool} ${JSON.stringify(args).slice(0, 80)}`).toMatch(/^LOOM_ERR_INVALID_(INPUT|NAME)/);
      expect(text, `${tool} ${JSON.stringify(args).slice(0, 80)}`).toContain(field);
    }
    expect(await streamLastSeq(fixture.jsm, INBOX_STREAM)).toBe(before);
  });
});

describe('the sender in the subject', () => {
  it('stores a message on loom.<p>.inbox.<recipientId>.<senderId>, and a reader drops a payload that claims another sender', async () => {
    const gina = await start('9');
    const sent = await alice.call<{ messageId: string }>('send_direct_message', { recipientId: agentIdFor('9'), message: 'genuine' });
    const stored = await fixture.jsm.streams.getMessage(INBOX_STREAM, { last_by_subj: `loom.${PROJECT}.inbox.${agentIdFor('9')}.${agentIdFor('a')}` });
    expect(stored?.json<{ messageId: string }>().messageId).toBe(sent.messageId);
    // Without `loom auth` anyone may publish anywhere: carol's subject with a payload claiming alice is not alice's.
    const forged = { messageId: 'f0'.repeat(16), from: { agentId: agentIdFor('a'), projectId: PROJECT }, to: agentIdFor('9'), messageType: 'text', message: 'forged', receipt: false, sentAt: new Date().toISOString() };
    const js = (await import('@nats-io/jetstream')).jetstream(fixture.nc);
    await js.publish(`loom.${PROJECT}.inbox.${agentIdFor('9')}.${agentIdFor('c')}`, JSON.stringify(forged), { msgID: forged.messageId });
    const inbox = await read(gina);
    expect(inbox.messages.map((m) => [m.message, m.from.agentId])).toEqual([['genuine', agentIdFor('a')]]);
    expect(inbox.unreadRemaining).toBe(0);
    await gina.close();
  });

  it('moves an inbox stream and durable made with the old layout (no sender token) to the new one', async () => {
    const project = 'dm-upgrade';
    const stream = 'LOOM_DM-UPGRADE_INBOX';
    const bobId = agentIdFor('b');
    await fixture.jsm.streams.add({ name: stream, subjects: [`loom.${project}.inbox.*`], max_age: 7 * 24 * 3600 * 1e9 });
    await fixture.jsm.consumers.add(stream, { durable_name: `inbox-${bobId}`, filter_subject: `loom.${project}.inbox.${bobId}`, ack_policy: AckPolicy.Explicit });
    const [amy, bob] = await Promise.all([fixture.warp({ projectId: project, agentId: agentIdFor('a') }), fixture.warp({ projectId: project, agentId: bobId })]);
    const sent = await amy.call<{ messageId: string }>('send_direct_message', { recipientId: bobId, message: 'after the upgrade' });
    expect((await fixture.jsm.streams.info(stream)).config.subjects).toEqual([`loom.${project}.inbox.*.*`]);
    const receiptOf = async () => (await read(amy, { receiptsFor: [sent.messageId] })).receipts?.[0]?.state;
    await eventually(receiptOf, (state) => state === 'delivered', { what: "the receipt delivered through bob's recreated durable" });
    expect((await fixture.jsm.consumers.info(stream, `inbox-${bobId}`)).config.filter_subject).toBe(`loom.${project}.inbox.${bobId}.*`);
    expect((await read(bob)).messages.map((m) => m.message)).toEqual(['after the upgrade']);
    await Promise.all([amy.close(), bob.close()]);
  });
});
