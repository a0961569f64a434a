// The bench's raw worker: a ready message comes at once, an empty queue waits, and an abort ends the wait at once (a
// raw side whose workers outlived the round by their last pull's wait was timed a second slower than it was).
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { createRawQueue, type RawQueue } from '../../bench/lib/raw-work.js';

let server: NatsServerHandle;
let nc: NatsConnection;
let queue: RawQueue;
let raw: Parameters<RawQueue['puller']>[0];

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  raw = { nc, js: jetstream(nc), jsm: await jetstreamManager(nc) } as Parameters<RawQueue['puller']>[0];
  queue = await createRawQueue(raw, 'pulltest');
}, 60_000);

afterAll(async () => {
  await nc?.close();
  await server?.stop();
});

describe('bench raw puller', () => {
  it('takes a ready message, acks it, and finds the queue empty after', async () => {
    await raw.js.publish(queue.subject, queue.payload('w-1'), { msgID: 'w-1' });
    const puller = queue.puller(raw);
    const msg = await puller.next(5_000);
    expect(JSON.parse(msg!.string()).workId).toBe('w-1');
    await msg!.ackAck();
    expect(await puller.next(200)).toBeNull();
    expect((await raw.jsm.streams.info(queue.stream)).state.messages).toBe(0);
    puller.close();
  });

  it('waits on an empty queue for a message published later', async () => {
    const puller = queue.puller(raw);
    const next = puller.next(10_000);
    await raw.js.publish(queue.subject, queue.payload('w-2'), { msgID: 'w-2' });
    const msg = await next;
    expect(JSON.parse(msg!.string()).workId).toBe('w-2');
    msg!.ack();
    puller.close();
  });

  it('an abort ends a long wait at once', async () => {
    const puller = queue.puller(raw);
    const abort = new AbortController();
    const started = performance.now();
    const next = puller.next(60_000, abort.signal);
    setTimeout(() => abort.abort(), 50);
    expect(await next).toBeNull();
    // Far below the 60 s it would otherwise wait; generous for a loaded machine.
    expect(performance.now() - started).toBeLessThan(20_000);
    // The puller still works after an abort (its old inbox is retired).
    await raw.js.publish(queue.subject, queue.payload('w-3'), { msgID: 'w-3' });
    expect(JSON.parse((await puller.next(5_000))!.string()).workId).toBe('w-3');
    puller.close();
  });
});
