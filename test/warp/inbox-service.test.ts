// The inbox service against a real nats-server: reads that start inside an inbox holding several senders' messages.
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { createTestKernel } from '../../core/testing/kernel.js';
import { createNames, inboxService, type Kernel, type ProjectInbox } from '../../core/index.js';
import { natsKvStorage } from '../../plugins/storage/nats-kv/index.js';
import { inboxServicePlugin } from '../../plugins/services/inbox/index.js';

let nats: NatsServerHandle;
let kernel: Kernel;
let inbox: ProjectInbox;

const hex = (n: number) => n.toString(16).padStart(32, '0');
const send = (from: string, to: string, message: string) => inbox.send({ from: { agentId: from, projectId: 'inbox-service' }, to, messageType: 'note', message, receipt: false });

/** `count` recipients from `firstId` on, each sent m0…m<perInbox - 1>, alternately by the two senders. */
async function fillInboxes(firstId: number, count: number, perInbox: number, senders: [string, string]): Promise<string[]> {
  const recipients = Array.from({ length: count }, (_, i) => hex(firstId + i));
  for (const to of recipients) {
    for (let i = 0; i < perInbox; i++) await send(senders[i % 2]!, to, `m${i}`);
  }
  return recipients;
}

beforeAll(async () => {
  nats = await startNatsServer();
  kernel = await createTestKernel({
    plugins: [natsKvStorage, inboxServicePlugin],
    // A read that waited on a fetch would take ten minutes: far past this file's timeouts.
    config: { nats: { url: nats.url }, options: { 'service:inbox': { fetchTimeoutMs: 600_000 } } },
    env: { LOOMINAL_PROJECT_ID: 'inbox-service' },
  });
  inbox = kernel.use(inboxService).forProject('inbox-service');
}, 60_000);

afterAll(async () => {
  await kernel?.stop();
  await nats?.stop();
});

describe('inbox reads', () => {
  // nats-server 2.9 overcounts a new consumer's num_pending for a wildcard filter starting inside the range (about
  // every other time with two senders): a read that trusted it waited for messages that do not exist, and said so.
  it('a read that resumes mid-inbox returns exactly the rest at once and counts what is left from what is there', async () => {
    const alice = hex(1);
    const carol = hex(2);
    const recipients = await fillInboxes(100, 16, 5, [alice, carol]);
    for (const to of recipients) {
      const first = await inbox.read(to, { limit: 1 });
      expect(first.messages.map((m) => m.message)).toEqual(['m0']);
      expect(first.unreadRemaining).toBe(4);
      const two = await inbox.read(to, { limit: 2 });
      expect(two.messages.map((m) => m.message)).toEqual(['m1', 'm2']);
      expect(two.unreadRemaining).toBe(2);
      const rest = await inbox.read(to, { limit: 10 });
      expect(rest.messages.map((m) => m.message)).toEqual(['m3', 'm4']);
      expect(rest.unreadRemaining).toBe(0);
      expect((await inbox.read(to, { limit: 10 })).messages).toEqual([]);
    }
  }, 60_000);

  it('a filtered read counts the messages it skipped as still unread, and an unfiltered one returns them', async () => {
    const alice = hex(3);
    const carol = hex(4);
    const recipients = await fillInboxes(200, 8, 6, [alice, carol]);
    for (const to of recipients) {
      const opener = await inbox.read(to, { limit: 1 });
      expect(opener.messages.map((m) => m.message)).toEqual(['m0']);
      const fromCarol = await inbox.read(to, { limit: 10, senderId: carol });
      expect(fromCarol.messages.map((m) => m.message)).toEqual(['m1', 'm3', 'm5']);
      expect(fromCarol.unreadRemaining).toBe(2);
      const firstOfAlice = await inbox.read(to, { limit: 1, senderId: alice });
      expect(firstOfAlice.messages.map((m) => m.message)).toEqual(['m2']);
      expect(firstOfAlice.unreadRemaining).toBe(1);
      const rest = await inbox.read(to, { limit: 10 });
      expect(rest.messages.map((m) => m.message)).toEqual(['m4']);
      expect(rest.unreadRemaining).toBe(0);
    }
  }, 60_000);

  // A read that stopped at its limit counts what is left with a second, headers-only scan. An unfiltered read pulls
  // one message more than its limit: when the server answers with fewer and "no more", nothing is left to count.
  it('a read that takes exactly what is unread runs one scan; one that leaves some counts them with a second', async () => {
    const api = await watchInboxApi();
    try {
      const [to] = await fillInboxes(300, 1, 5, [hex(5), hex(6)]);
      const [exact, exactScans, exactPulls] = await api.during(() => inbox.read(to!, { limit: 2 }));
      expect(exact.messages.map((m) => m.message)).toEqual(['m0', 'm1']);
      expect(exact.unreadRemaining).toBe(3);
      expect(exactScans).toBe(2);
      expect(exactPulls).toBe(2);
      const [rest, restScans, restPulls] = await api.during(() => inbox.read(to!, { limit: 3 }));
      expect(rest.messages.map((m) => m.message)).toEqual(['m2', 'm3', 'm4']);
      expect(rest.unreadRemaining).toBe(0);
      expect(restScans).toBe(1);
      expect(restPulls).toBe(1);
    } finally {
      await api.close();
    }
  }, 60_000);

  it('a read that stops on the last message of a batch asks for one more message, not another batch, and counts only if it came', async () => {
    const api = await watchInboxApi();
    try {
      const [alice, carol] = [hex(7), hex(8)];
      for (const [to, after] of [[hex(400), 44], [hex(401), 0]] as const) {
        // 255 of alice's, then carol's as the 256th (the last of a filtered read's first batch), then `after` more.
        for (let i = 0; i < 256 + after; i++) await send(i === 255 ? carol : alice, to, `m${i}`);
        const [read, scans, pulls] = await api.during(() => inbox.read(to, { limit: 1, senderId: carol }));
        expect(read.messages.map((m) => m.message)).toEqual(['m255']);
        expect(read.unreadRemaining).toBe(255 + after);
        const peek = [{ batch: 256, no_wait: true }, { batch: 1, no_wait: true }];
        expect(api.pulls.slice(-pulls)).toEqual(after > 0 ? [...peek, { batch: 1024, no_wait: true }] : peek);
        expect(scans).toBe(after > 0 ? 2 : 1);
      }
    } finally {
      await api.close();
    }
  }, 120_000);
});

/** Counts the scans (consumer creations) and pulls on this project's inbox stream, as the server receives them. */
async function watchInboxApi() {
  const watcher: NatsConnection = await connect({ servers: nats.url });
  const stream = createNames('inbox-service').inboxStream;
  const creates: string[] = [];
  const pulls: Array<{ batch: number; no_wait: boolean }> = [];
  const subs = [
    watcher.subscribe(`$JS.API.CONSUMER.CREATE.${stream}.>`, { callback: (_err, msg) => void creates.push(msg.subject) }),
    watcher.subscribe(`$JS.API.CONSUMER.MSG.NEXT.${stream}.>`, { callback: (_err, msg) => void pulls.push(msg.json()) }),
  ];
  await watcher.flush();
  return {
    pulls,
    async during<T>(read: () => Promise<T>): Promise<[T, number, number]> {
      const [scansBefore, pullsBefore] = [creates.length, pulls.length];
      const result = await read();
      await watcher.flush();
      return [result, creates.length - scansBefore, pulls.length - pullsBefore];
    },
    async close() {
      subs.forEach((sub) => sub.unsubscribe());
      await watcher.close();
    },
  };
}
