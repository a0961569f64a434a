// storage:nats-kv against the storage contract on a real nats-server, plus what only NATS KV has to prove.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNames, storageService, type NatsService } from '../../core/index.js';
import { createNatsService } from '../../core/nats/connection.js';
import { createSilentLogger } from '../../core/log.js';
import { createTestKernel } from '../../core/testing/kernel.js';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { createNatsKvBackend } from '../../plugins/storage/nats-kv/index.js';
import { storagePlugins } from '../../presets/storage.js';
import { runStorageContract, waitFor } from '../contracts/storage.js';

let server: NatsServerHandle;
const connections: NatsService[] = [];

/** Each backend gets its own connection, as two processes would. */
function connect(): NatsService {
  const nats = createNatsService({ config: { url: server.url }, env: {}, log: createSilentLogger(), name: 'storage-test' });
  connections.push(nats);
  return nats;
}

beforeAll(async () => {
  server = await startNatsServer();
});
afterAll(async () => {
  for (const nats of connections) await nats.close();
  await server?.stop();
});

runStorageContract('nats-kv', async () => {
  const nats = connect();
  return createNatsKvBackend({ kvm: () => nats.kvm() });
});

describe('storage:nats-kv on NATS', () => {
  it('a bucket is a NATS KV bucket with history 1 and the spec ttl as its max age', async () => {
    const nats = connect();
    const backend = createNatsKvBackend({ kvm: () => nats.kvm() });
    const name = createNames('kv-shape').weftAssignmentsBucket;
    await backend.openBucket({ name, ttlMs: 60_000 });
    const status = await (await (await nats.kvm()).open(name)).status();
    expect(status.history).toBe(1);
    expect(status.ttl).toBe(60_000);
    await backend.destroyBucket(name);
  });

  it('an entry older than the ttl is hidden, and can be created again, before the server has purged it', async () => {
    const nats = connect();
    const backend = createNatsKvBackend({ kvm: () => nats.kvm() });
    const name = createNames('kv-age').weftAssignmentsBucket;
    // The bucket is created with an hour of max age, so only the age check can hide the entry within a second.
    const longLived = await backend.openBucket({ name, ttlMs: 3_600_000 });
    const shortLived = await backend.openBucket({ name, ttlMs: 1_000 });
    await shortLived.put('lease', 'first');
    await waitFor(async () => (await shortLived.get('lease')) === null, 'the entry to be older than 1 s');
    expect(await shortLived.list()).toEqual([]);
    expect(await shortLived.keys()).toEqual([]);
    expect((await longLived.get('lease'))!.value).toBe('first');
    await shortLived.create('lease', 'second');
    expect((await shortLived.get('lease'))!.value).toBe('second');
    await backend.destroyBucket(name);
  });

  it('values are stored as JSON text that any NATS client can read', async () => {
    const nats = connect();
    const backend = createNatsKvBackend({ kvm: () => nats.kvm() });
    const name = createNames('kv-json').registryBucket;
    await (await backend.openBucket({ name })).put('agent.1', { handle: 'ada', capabilities: ['ts'] });
    const raw = await (await (await nats.kvm()).open(name)).get('agent.1');
    expect(raw!.string()).toBe('{"handle":"ada","capabilities":["ts"]}');
    await backend.destroyBucket(name);
  });

  it("a kernel with the default storage opens buckets on the kernel's own NATS connection", async () => {
    const kernel = await createTestKernel({ plugins: storagePlugins, config: { nats: { url: server.url } } });
    try {
      const storage = kernel.use(storageService);
      expect(storage.backendId).toBe('nats-kv');
      const name = kernel.names.registryBucket;
      await (await storage.openBucket({ name })).put('agent.1', 'through the kernel');
      const raw = await (await (await connect().kvm()).open(name)).get('agent.1');
      expect(raw!.json()).toBe('through the kernel');
      await (await storage.backend()).destroyBucket(name);
    } finally {
      await kernel.stop();
    }
  });
});
