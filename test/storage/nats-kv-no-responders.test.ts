// storage:nats-kv writes that meet "no responders" (a bucket's stream not there yet) are tried again, not failed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { createNatsKvBackend } from '../../plugins/storage/nats-kv/index.js';

let server: NatsServerHandle;
let nc: NatsConnection;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
});
afterAll(async () => {
  await nc?.close();
  await server?.stop();
});

describe('storage:nats-kv and a stream that is not there yet', () => {
  it('a put that finds no stream is tried again and lands once the stream exists', async () => {
    const kvm = new Kvm(nc);
    const backend = createNatsKvBackend({ kvm: async () => kvm });
    const bucket = await backend.openBucket({ name: 'loom-retry-put' });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete('KV_loom-retry-put');
    const pending = bucket.put('agent.1', { n: 1 });
    await new Promise((resolve) => setTimeout(resolve, 60));
    await kvm.create('loom-retry-put', { history: 1 });
    await pending;
    expect((await bucket.get('agent.1'))?.value).toEqual({ n: 1 });
    await backend.close();
  });

  it('gives up with the error when the stream never comes back', async () => {
    const kvm = new Kvm(nc);
    const backend = createNatsKvBackend({ kvm: async () => kvm });
    const bucket = await backend.openBucket({ name: 'loom-retry-gone' });
    await (await jetstreamManager(nc)).streams.delete('KV_loom-retry-gone');
    const started = Date.now();
    await expect(bucket.put('agent.1', { n: 1 })).rejects.toThrow(/no responders|not enabled/i);
    // Tried a few times (25, 50, 100 … ms apart), then the error: not a hang.
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    await backend.close();
  });
});
