// Subject scans against a real nats-server: no-wait batch pulls that end on the server's word, never on num_pending.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { countSubject, scanSubject } from '../../core/nats/read-subject.js';
import { pullBatch } from '../../core/nats/pull-batch.js';

let server: NatsServerHandle;
let nc: NatsConnection;
let jsm: JetStreamManager;
const STREAM = 'SCAN_TEST';
// A pull that waited would take ten minutes: far past the tests' timeouts.
const NEVER = 600_000;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: STREAM, subjects: ['scan.>'] });
  const js = jetstream(nc);
  // 600 messages for r1, from two senders in turn, with r2's in between: more than two full batches of 256.
  for (let i = 0; i < 600; i++) {
    await js.publish(`scan.r1.s${i % 2}`, `m${i}`);
    if (i % 3 === 0) await js.publish('scan.r2.s0', `other${i}`);
  }
}, 60_000);

afterAll(async () => {
  await nc?.close();
  await server?.stop();
});

async function collect(startSeq: number, batch?: number): Promise<Array<{ seq: number; body: string }>> {
  const scan = await scanSubject(nc, jsm, { stream: STREAM, subject: 'scan.r1.*', startSeq, fetchTimeoutMs: NEVER, ...(batch ? { batch } : {}) });
  const out: Array<{ seq: number; body: string }> = [];
  try {
    for await (const m of scan.messages()) out.push({ seq: m.seq, body: new TextDecoder().decode(m.data) });
  } finally {
    scan.close();
  }
  return out;
}

describe('subject scans', () => {
  it('yield every message of a wildcard subject from any start, across full batches, and end at once', async () => {
    const all = await collect(1);
    expect(all.map((m) => m.body)).toEqual(Array.from({ length: 600 }, (_, i) => `m${i}`));
    // Starting inside the range, where nats-server 2.9 overcounts num_pending: exactly the rest, no wait.
    for (const startSeq of [2, 3, 5, 8, 13, 400]) {
      const expected = all.filter((m) => m.seq >= startSeq);
      expect(expected.length).toBeGreaterThan(0);
      expect(await collect(startSeq, 7)).toEqual(expected);
    }
    expect(await collect(100_000)).toEqual([]);
  }, 120_000);

  it('carry the stored time and sequence of each message', async () => {
    const scan = await scanSubject(nc, jsm, { stream: STREAM, subject: 'scan.r2.*', startSeq: 1, fetchTimeoutMs: NEVER });
    const first = (await scan.messages().next()).value;
    scan.close();
    const stored = await jsm.streams.getMessage(STREAM, { seq: first!.seq });
    expect(first!.subject).toBe('scan.r2.s0');
    expect(first!.time.getTime()).toBe(stored!.time.getTime());
  });

  it("carry each message's headers, read from the delivery only when asked for", async () => {
    const h = headers();
    h.set('X-Scan-Test', 'kept');
    await jetstream(nc).publish('scan.r3.h', 'with headers', { headers: h, msgID: 'scan-r3-1' });
    await jetstream(nc).publish('scan.r3.n', 'without');
    const scan = await scanSubject(nc, jsm, { stream: STREAM, subject: 'scan.r3.*', startSeq: 1, fetchTimeoutMs: NEVER });
    const got = [];
    for await (const m of scan.messages()) got.push(m);
    scan.close();
    expect(got.map((m) => m.subject)).toEqual(['scan.r3.h', 'scan.r3.n']);
    expect(got[0]!.headers?.get('X-Scan-Test')).toBe('kept');
    expect(got[0]!.headers?.get('Nats-Msg-Id')).toBe('scan-r3-1');
    expect(got[1]!.headers).toBeUndefined();
    expect(new TextDecoder().decode(got[0]!.data)).toBe('with headers');
  });

  it('count messages without their bodies, leaving out the ones listed', async () => {
    const seqs: number[] = [];
    const scan = await scanSubject(nc, jsm, { stream: STREAM, subject: 'scan.r2.*', startSeq: 1, fetchTimeoutMs: NEVER });
    for await (const m of scan.messages()) seqs.push(m.seq);
    scan.close();
    expect(seqs).toHaveLength(200);
    expect(await countSubject(nc, jsm, { stream: STREAM, subject: 'scan.r2.*', startSeq: seqs[10]!, except: new Set([seqs[11]!, seqs[12]!, seqs[3]!]), fetchTimeoutMs: NEVER })).toBe(188);
  });

  it('a pull nobody answers (the consumer is gone) fails with a coded timeout', async () => {
    await expect(pullBatch(nc, STREAM, 'no_such_consumer', 10, 1500)).rejects.toMatchObject({ code: 'LOOM_ERR_TIMEOUT' });
  });
});
