// The reader's lookup of channel senders' keys against a real nats-server: a missing bucket is "no keys" and stays
// missing, answers are cached for cacheMs, delete markers and broken records are told apart, and a refused lookup
// fails the read instead of passing for "no key".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kvm, type KV } from '@nats-io/kv';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createNames, generateSigningKey, isLoomError, type NatsService } from '../../core/index.js';
import { createNatsService } from '../../core/nats/connection.js';
import { createSilentLogger } from '../../core/log.js';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { createSenderKeys } from '../../plugins/services/channels/sender-keys.js';

const ALICE = 'a1'.repeat(16);
const BOB = 'b2'.repeat(16);
const bucket = createNames('keys-test').signingKeysBucket;

let server: NatsServerHandle;
let nc: NatsConnection;
let nats: NatsService;
let clock = 0;
const keysFor = (service: NatsService = nats) => createSenderKeys({ nats: service, bucket, cacheMs: 1000, log: createSilentLogger(), now: () => clock });

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connect({ servers: server.url });
  nats = createNatsService({ config: { url: server.url }, env: {}, log: createSilentLogger(), name: 'sender-keys-test' });
});

afterAll(async () => {
  await nats?.close();
  await nc?.close();
  await server?.stop();
});

describe('sender keys', () => {
  let kv: KV;

  it('no bucket means no key for anyone, and looking never creates the bucket', async () => {
    expect(await keysFor().of(ALICE)).toEqual({ kind: 'none' });
    const jsm = await jetstreamManager(nc);
    await expect(jsm.streams.info(`KV_${bucket}`)).rejects.toThrow(/not found/i);
  });

  it('a provisioned key is found; a bucket or key added later is seen once the cached answer is older than cacheMs', async () => {
    const keys = keysFor();
    expect((await keys.of(BOB)).kind).toBe('none');
    kv = await new Kvm(nc).create(bucket, { history: 1 });
    await kv.put(ALICE, JSON.stringify({ publicKey: generateSigningKey().publicKey, principal: 'alice@x' }));
    // The missing bucket is remembered, for every agent.
    expect((await keys.of(ALICE)).kind).toBe('none');
    clock += 1001;
    expect((await keys.of(ALICE)).kind).toBe('key');
    expect((await keys.of(BOB)).kind).toBe('none');
    await kv.put(BOB, JSON.stringify({ publicKey: generateSigningKey().publicKey }));
    expect((await keys.of(BOB)).kind).toBe('none');
    clock += 1001;
    expect((await keys.of(BOB)).kind).toBe('key');
  });

  it('a deleted key is no key; a record that is not an Ed25519 public key verifies nothing', async () => {
    await kv.delete(BOB);
    await kv.put(ALICE, JSON.stringify({ publicKey: 'not a key' }));
    const keys = keysFor();
    expect(await keys.of(BOB)).toEqual({ kind: 'none' });
    expect(await keys.of(ALICE)).toEqual({ kind: 'unusable' });
  });

  it('an id that is not hex names nobody with a key and reaches no subject', async () => {
    const untouched = { manager: () => Promise.reject(new Error('no NATS call expected')) } as unknown as NatsService;
    for (const id of ['>', 'a1.*', ALICE.toUpperCase(), '']) expect(await keysFor(untouched).of(id)).toEqual({ kind: 'none' });
  });

  it('a lookup the server refuses fails with LOOM_ERR_FORBIDDEN naming the bucket, and is asked again next time', async () => {
    class PermissionViolationError extends Error {
      override name = 'PermissionViolationError';
    }
    let calls = 0;
    const refusing = {
      manager: async () => {
        calls++;
        return { streams: { info: () => Promise.reject(new Error('refused', { cause: new PermissionViolationError('Permissions Violation for Publish to "$JS.API.STREAM.INFO"') })) } };
      },
    } as unknown as NatsService;
    const keys = keysFor(refusing);
    for (let i = 0; i < 2; i++) {
      const err = await keys.of(ALICE).then(() => undefined, (e: unknown) => e);
      expect(isLoomError(err, 'LOOM_ERR_FORBIDDEN')).toBe(true);
      expect((err as Error).message).toContain(bucket);
    }
    expect(calls).toBe(2);
  });
});
