// A channel page does not trust the subject count stream info reports: a cluster node that has just taken over may
// report it short (the cluster failover run once read one message fewer than the stream held), and a page that
// trusted it stopped early and said nothing older was there.
import { jetstreamManager, jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { readNewest, type PageSource } from '../../plugins/services/channels/page-reader.js';

let nats: NatsServerHandle;
let nc: NatsConnection;
let source: PageSource;

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'PAGES', subjects: ['pages.>'] });
  const js = jetstream(nc);
  // Channel "a" holds sequences 1, 299 and 300; channel "b" everything between.
  await js.publish('pages.a', 'oldest');
  for (let i = 0; i < 297; i++) await js.publish('pages.b', `b${i}`);
  await js.publish('pages.a', 'older');
  await js.publish('pages.a', 'newest');
  source = { nc, jsm, stream: 'PAGES', subject: 'pages.a', fetchTimeoutMs: 5000 };
}, 60_000);

afterAll(async () => {
  await nc?.close();
  await nats?.stop();
});

describe('a channel page', () => {
  it('finds every message of the channel when stream info counts one too few', async () => {
    const page = await readNewest(source, { firstSeq: 1, lastSeq: 300, count: 2 }, { limit: 10, maxBytes: 1 << 20 });
    expect(page.messages.map((m) => m.seq)).toEqual([1, 299, 300]);
    expect(page.hasOlder).toBe(false);
  });

  it('says older messages are there when a full page stops above them, whatever the count says', async () => {
    const page = await readNewest(source, { firstSeq: 1, lastSeq: 300, count: 2 }, { limit: 2, maxBytes: 1 << 20 });
    expect(page.messages.map((m) => m.seq)).toEqual([299, 300]);
    expect(page.hasOlder).toBe(true);
    const older = await readNewest(source, { firstSeq: 1, lastSeq: 300, count: 2 }, { limit: 2, before: 299, maxBytes: 1 << 20 });
    expect(older).toMatchObject({ hasOlder: false });
    expect(older.messages.map((m) => m.seq)).toEqual([1]);
  });
});
