// publishWithRetry against a real nats-server: a publish whose ack was lost, or that met a dead broker, is retried with the same id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { isTransientPublishError, publishWithRetry } from '../../core/nats/publish-retry.js';
import { isLoomError } from '../../core/errors.js';

let nats: NatsServerHandle;
let nc: NatsConnection;
let jsm: JetStreamManager;

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url, reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'RETRY', subjects: ['retry.>'] });
});

/** Polls until this test's connection is back and JetStream answers (a restarted server first recovers its store). */
async function jetStreamAnswers(timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await jsm.getAccountInfo();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

afterAll(async () => {
  await nc?.close();
  await nats?.stop();
});

describe('publish with retry', () => {
  it('a publish stored by the server whose ack came too late is not stored twice when retried with its id', async () => {
    const js = jetstream(nc);
    // A 1 ms ack wait: the server stores the message, the client gives up first. Exactly the "ack lost" case.
    const first = await js.publish('retry.lost', 'once', { msgID: 'lost-1', timeout: 1 }).then(() => 'acked', (err: unknown) => err);
    const ack = await publishWithRetry(js, 'retry.lost', 'once', { msgID: 'lost-1' });
    const info = await jsm.streams.info('RETRY', { subjects_filter: 'retry.lost' });
    expect(info.state.subjects?.['retry.lost']).toBe(1);
    // Either the first try timed out (then the retry was a duplicate) or it was acked in time; never two copies.
    if (first !== 'acked') {
      expect(isTransientPublishError(first)).toBe(true);
      expect(ack.duplicate).toBe(true);
    }
  });

  it('a publish made while the broker is down waits for the restart and is stored exactly once', async () => {
    const js = jetstream(nc);
    const before = (await jsm.streams.info('RETRY')).state.messages;
    await nats.kill();
    const pending = publishWithRetry(js, 'retry.down', 'through the crash', { msgID: 'down-1', attemptTimeoutMs: 500, deadlineMs: 30_000 });
    await nats.restart();
    const ack = await pending;
    expect(ack.stream).toBe('RETRY');
    const again = await publishWithRetry(js, 'retry.down', 'through the crash', { msgID: 'down-1' });
    expect(again.duplicate).toBe(true);
    expect(again.seq).toBe(ack.seq);
    expect((await jsm.streams.info('RETRY')).state.messages).toBe(before + 1);
  });

  it('a publish that cannot be acknowledged before its deadline fails with a coded error naming the message id', async () => {
    const js = jetstream(nc);
    await nats.kill();
    try {
      const err = await publishWithRetry(js, 'retry.gone', 'never', { msgID: 'gone-1', attemptTimeoutMs: 300, deadlineMs: 1500 }).then(() => null, (e: unknown) => e);
      expect(isLoomError(err, 'LOOM_ERR_NATS_UNREACHABLE')).toBe(true);
      expect(String((err as Error).message)).toContain('gone-1');
    } finally {
      await nats.restart();
      await jetStreamAnswers();
    }
  });

  it('a refusal that retrying cannot fix is thrown at once', async () => {
    const js = jetstream(nc);
    await jsm.streams.add({ name: 'RETRY_SMALL', subjects: ['small.>'], max_msg_size: 16 });
    const started = Date.now();
    const err = await publishWithRetry(js, 'small.one', 'x'.repeat(200), { msgID: 'small-1', deadlineMs: 20_000 }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(isLoomError(err)).toBe(false);
    expect(isTransientPublishError(err)).toBe(false);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
