// weft's read-modify-writes start from its own last write of a record (no read first), against a real NATS KV bucket:
// the guess saves the read, and a guess made stale by another writer loses its compare-and-set, never an update.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNatsService, type NatsService } from '../../core/nats/connection.js';
import { createSilentLogger } from '../../core/log.js';
import type { KvBucket } from '../../core/index.js';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { createNatsKvBackend } from '../../plugins/storage/nats-kv/index.js';
import { rememberWrites } from '../../plugins/weft/coordinator/record-cache.js';
import { createRecord, updateRecord } from '../../plugins/weft/coordinator/work-store.js';

interface Item {
  state: 'open' | 'claimed' | 'done';
  notes: string[];
}

let server: NatsServerHandle;
let nats: NatsService;
let weftSide: KvBucket;
let otherWriter: KvBucket;
let reads = 0;

beforeAll(async () => {
  server = await startNatsServer();
  nats = createNatsService({ config: { url: server.url }, env: {}, log: createSilentLogger(), name: 'record-cache-test' });
  const backend = createNatsKvBackend({ kvm: () => nats.kvm() });
  const bucket = await backend.openBucket({ name: 'weft-record-cache-work' });
  // weft's handle, counting its reads; another process's handle on the same bucket, with no cache.
  weftSide = rememberWrites({ ...bucket, name: bucket.name, get: (key) => (reads++, bucket.get(key)) } as KvBucket);
  otherWriter = await createNatsKvBackend({ kvm: () => nats.kvm() }).openBucket({ name: 'weft-record-cache-work' });
}, 60_000);

afterAll(async () => {
  await nats?.close();
  await server?.stop();
});

const note = (text: string) => (current: Item | undefined) => current && { ...current, notes: [...current.notes, text] };

describe("updates from weft's last write", () => {
  it('an update right after weft created the record reads nothing', async () => {
    await createRecord(weftSide, 'w1', { state: 'open', notes: [] } satisfies Item);
    reads = 0;
    await updateRecord<Item>(weftSide, 'w1', (current) => current && { ...current, state: 'claimed' });
    await updateRecord<Item>(weftSide, 'w1', note('second'));
    expect(reads).toBe(0);
    expect((await otherWriter.get<Item>('w1'))?.value).toEqual({ state: 'claimed', notes: ['second'] });
  });

  it('a write by someone else makes the guess lose its compare-and-set: the change is applied to the fresh value', async () => {
    await createRecord(weftSide, 'w2', { state: 'open', notes: [] } satisfies Item);
    const stored = await otherWriter.get<Item>('w2');
    await otherWriter.update('w2', { ...stored!.value, notes: ['from elsewhere'] }, stored!.revision);
    reads = 0;
    const { value } = await updateRecord<Item>(weftSide, 'w2', note('from weft'));
    expect(value).toEqual({ state: 'open', notes: ['from elsewhere', 'from weft'] });
    expect((await otherWriter.get<Item>('w2'))?.value).toEqual(value);
    expect(reads).toBe(1);
  });

  it('"nothing to change" judged on a stale guess is checked against the store before it is believed', async () => {
    await createRecord(weftSide, 'w3', { state: 'done', notes: [] } satisfies Item);
    const stored = await otherWriter.get<Item>('w3');
    await otherWriter.update('w3', { state: 'open', notes: ['reopened'] }, stored!.revision);
    const reopenedOnly = (current: Item | undefined) => (current?.state === 'open' ? { ...current, state: 'claimed' as const } : undefined);
    const { value, changed } = await updateRecord<Item>(weftSide, 'w3', reopenedOnly);
    expect(changed).toBe(true);
    expect(value).toEqual({ state: 'claimed', notes: ['reopened'] });
  });

  it('changing a value after it was written, or while deciding on it, does not change what the next update starts from', async () => {
    await createRecord(weftSide, 'w4', { state: 'open', notes: [] } satisfies Item);
    const { value } = await updateRecord<Item>(weftSide, 'w4', note('first'));
    value!.notes.push('changed by the caller, never written');
    await updateRecord<Item>(weftSide, 'w4', (current) => {
      current?.notes.push('changed in place, then nothing to write');
      return undefined;
    });
    await updateRecord<Item>(weftSide, 'w4', note('second'));
    expect((await otherWriter.get<Item>('w4'))?.value).toEqual({ state: 'open', notes: ['first', 'second'] });
  });
});
