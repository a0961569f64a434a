// The storage contract: every backend (ours and third-party ones) runs this suite; it skips only declared-unsupported features.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNames, type BucketSpec, type KvBucket, type StorageBackend } from '../../core/index.js';
import { casIncrement, expectCode, type StorageFeature } from './storage-helpers.js';
import { registerOptionalCases } from './storage-optional.js';

export { casIncrement, expectCode, waitFor, type StorageFeature } from './storage-helpers.js';

export interface StorageContractFeatures {
  /** Features the backend does not support, each with the reason; the suite registers none of their cases. */
  unsupported?: Partial<Record<StorageFeature, string>>;
}

const FEATURES: StorageFeature[] = ['ttl', 'watch', 'shared'];
const INVALID_KEYS = ['', '.lead', 'trail.', 'a..b', 'has space', 'star*', 'gt>', 'tab\there', 'new\nline', 'ünicode', 'x'.repeat(256)];

export function runStorageContract(name: string, makeBackend: () => Promise<StorageBackend>, features: StorageContractFeatures = {}): void {
  const unsupported = features.unsupported ?? {};
  const supports = (feature: StorageFeature) => unsupported[feature] === undefined;

  describe(`storage contract: ${name}`, () => {
    const run = randomBytes(3).toString('hex');
    const backends: StorageBackend[] = [];
    const created: Array<{ backend: StorageBackend; name: string }> = [];
    let backend: StorageBackend;
    let counter = 0;

    const another = async () => {
      const extra = await makeBackend();
      backends.push(extra);
      return extra;
    };
    /** A fresh bucket per test, its name built by the names module like every real bucket. */
    const open = async (spec: Omit<BucketSpec, 'name'> = {}, on = backend) => {
      const bucketName = createNames(`ct-${run}-${++counter}`).weftWorkBucket;
      created.push({ backend: on, name: bucketName });
      return on.openBucket({ name: bucketName, ...spec });
    };

    beforeAll(async () => {
      backend = await another();
    });
    afterAll(async () => {
      for (const bucket of created) await bucket.backend.destroyBucket(bucket.name).catch(() => undefined);
      for (const each of backends) await each.close();
    });

    describe('declared features', () => {
      it('declares exactly the features the suite was told it supports', () => {
        expect(backend.features).toEqual({ ttl: supports('ttl'), watch: supports('watch'), shared: supports('shared') });
      });
      for (const feature of FEATURES.filter((f) => !supports(f))) {
        it(`declares no ${feature} support: ${unsupported[feature]}`, () => {
          expect(backend.features[feature]).toBe(false);
        });
      }
    });

    describe('reading and writing', () => {
      it('put then get returns the value, its revision and when it was written', async () => {
        const bucket = await open();
        const before = Date.now();
        const revision = await bucket.put('agent.one', { status: 'online', tasks: [1, 2], ok: true, none: null, text: 'héllo ✓' });
        const entry = await bucket.get('agent.one');
        expect(entry).toEqual({ key: 'agent.one', value: { status: 'online', tasks: [1, 2], ok: true, none: null, text: 'héllo ✓' }, revision, updatedAt: expect.any(Number) });
        expect(revision).toBeGreaterThan(0);
        expect(entry!.updatedAt).toBeGreaterThanOrEqual(before - 1000);
        expect(entry!.updatedAt).toBeLessThanOrEqual(Date.now() + 1000);
      });

      it('a missing key reads as null', async () => {
        const bucket = await open();
        expect(await bucket.get('nothing.here')).toBeNull();
      });

      it('every write gets a higher revision than the one before, across keys of the bucket', async () => {
        const bucket = await open();
        const first = await bucket.put('k1', 1);
        const second = await bucket.put('k2', 2);
        const third = await bucket.put('k1', 3);
        expect(second).toBeGreaterThan(first);
        expect(third).toBeGreaterThan(second);
        expect(await bucket.get('k1')).toMatchObject({ value: 3, revision: third });
      });

      it('delete removes a key from get, list and keys, and deleting a missing key is not an error', async () => {
        const bucket = await open();
        await bucket.put('gone', 'x');
        await bucket.put('kept', 'y');
        await bucket.delete('gone');
        await bucket.delete('never-was');
        expect(await bucket.get('gone')).toBeNull();
        expect(await bucket.keys()).toEqual(['kept']);
        expect((await bucket.list()).map((e) => e.key)).toEqual(['kept']);
      });

      it('a value read back is a copy: changing it does not change what is stored', async () => {
        const bucket = await open();
        await bucket.put('doc', { list: [1] });
        const entry = await bucket.get<{ list: number[] }>('doc');
        entry!.value.list.push(2);
        expect((await bucket.get('doc'))!.value).toEqual({ list: [1] });
      });

      it('a value JSON cannot carry is refused with LOOM_ERR_INVALID_INPUT and nothing is written', async () => {
        const bucket = await open();
        const circular: Record<string, unknown> = {};
        circular.self = circular;
        for (const value of [undefined, () => 1, circular, 10n]) await expectCode(bucket.put('bad', value), 'LOOM_ERR_INVALID_INPUT');
        expect(await bucket.get('bad')).toBeNull();
      });
    });

    describe('create and compare-and-set', () => {
      it('create writes a key that does not exist and refuses an existing one with LOOM_ERR_CONFLICT, leaving it as it was', async () => {
        const bucket = await open();
        const revision = await bucket.create('lease', { holder: 'a' });
        await expectCode(bucket.create('lease', { holder: 'b' }), 'LOOM_ERR_CONFLICT');
        expect(await bucket.get('lease')).toMatchObject({ value: { holder: 'a' }, revision });
      });

      it('create succeeds again once the key was deleted', async () => {
        const bucket = await open();
        await bucket.create('slot', 1);
        await bucket.delete('slot');
        await bucket.create('slot', 2);
        expect((await bucket.get('slot'))!.value).toBe(2);
      });

      it('update at the current revision writes; with a stale revision it is LOOM_ERR_CONFLICT and the value stays', async () => {
        const bucket = await open();
        const r1 = await bucket.put('counter', 1);
        const r2 = await bucket.update('counter', 2, r1);
        expect(r2).toBeGreaterThan(r1);
        await expectCode(bucket.update('counter', 99, r1), 'LOOM_ERR_CONFLICT');
        expect(await bucket.get('counter')).toMatchObject({ value: 2, revision: r2 });
      });

      it('update of a missing or deleted key is LOOM_ERR_CONFLICT', async () => {
        const bucket = await open();
        await expectCode(bucket.update('missing', 1, 1), 'LOOM_ERR_CONFLICT');
        const revision = await bucket.put('deleted', 1);
        await bucket.delete('deleted');
        await expectCode(bucket.update('deleted', 2, revision), 'LOOM_ERR_CONFLICT');
        expect(await bucket.get('deleted')).toBeNull();
      });

      it('update with a revision that is not a positive integer is LOOM_ERR_INVALID_INPUT', async () => {
        const bucket = await open();
        await bucket.put('k', 1);
        for (const revision of [0, -1, 1.5, Number.NaN]) await expectCode(bucket.update('k', 2, revision), 'LOOM_ERR_INVALID_INPUT');
        expect((await bucket.get('k'))!.value).toBe(1);
      });

      it('two writers incrementing one counter with compare-and-set lose no update', async () => {
        const bucket = await open();
        const other = await backend.openBucket({ name: bucket.name });
        const n = 30;
        const writer = async (handle: KvBucket) => {
          for (let i = 0; i < n; i++) await casIncrement(handle, 'counter');
        };
        await Promise.all([writer(bucket), writer(other)]);
        expect((await bucket.get('counter'))!.value).toBe(2 * n);
      });
    });

    describe('listing', () => {
      it('list and keys return the keys that start with a prefix, in key order', async () => {
        const bucket = await open();
        for (const key of ['b.1', 'a.2', 'ab.1', 'a.1', 'a.10.x', 'c']) await bucket.put(key, key.toUpperCase());
        expect(await bucket.keys('a.')).toEqual(['a.1', 'a.10.x', 'a.2']);
        expect(await bucket.keys('a')).toEqual(['a.1', 'a.10.x', 'a.2', 'ab.1']);
        expect(await bucket.keys('a.1')).toEqual(['a.1', 'a.10.x']);
        expect(await bucket.keys()).toEqual(['a.1', 'a.10.x', 'a.2', 'ab.1', 'b.1', 'c']);
        expect(await bucket.list('a.')).toEqual([
          expect.objectContaining({ key: 'a.1', value: 'A.1' }),
          expect.objectContaining({ key: 'a.10.x', value: 'A.10.X' }),
          expect.objectContaining({ key: 'a.2', value: 'A.2' }),
        ]);
        expect(await bucket.list('zzz')).toEqual([]);
      });
    });

    describe('keys and bucket names', () => {
      it('invalid keys are rejected with LOOM_ERR_INVALID_NAME by every operation, and nothing is written', async () => {
        const bucket = await open();
        for (const key of INVALID_KEYS) {
          for (const call of [() => bucket.get(key), () => bucket.put(key, 1), () => bucket.create(key, 1), () => bucket.update(key, 1, 1), () => bucket.delete(key)]) {
            await expectCode(call(), 'LOOM_ERR_INVALID_NAME');
          }
        }
        for (const prefix of ['*', 'a>', '.x', 'a..', 'sp ace']) {
          await expectCode(bucket.list(prefix), 'LOOM_ERR_INVALID_NAME');
          await expectCode(bucket.keys(prefix), 'LOOM_ERR_INVALID_NAME');
        }
        expect(await bucket.keys()).toEqual([]);
      });

      it('keys may use upper and lower case, digits, "_", "=", "-", "/" and dots, up to 255 characters, and case matters', async () => {
        const bucket = await open();
        const long = `L${'o'.repeat(253)}g`;
        for (const key of ['Case', 'case', 'a/b=c-d_e.F9', long]) await bucket.put(key, key);
        for (const key of ['Case', 'case', 'a/b=c-d_e.F9', long]) expect((await bucket.get(key))!.value).toBe(key);
        expect(await bucket.keys()).toEqual(['Case', long, 'a/b=c-d_e.F9', 'case']);
      });

      it('invalid bucket names are LOOM_ERR_INVALID_NAME and a negative ttl is LOOM_ERR_INVALID_INPUT', async () => {
        for (const bad of ['', 'a.b', 'has space', 'x/y', 'star*']) await expectCode(backend.openBucket({ name: bad }), 'LOOM_ERR_INVALID_NAME');
        await expectCode(backend.openBucket({ name: createNames('ct-ttl').weftWorkBucket, ttlMs: -5 }), 'LOOM_ERR_INVALID_INPUT');
      });
    });

    describe('project isolation', () => {
      it("two projects' buckets never see each other's keys", async () => {
        const [aName, bName] = [createNames('proj-a').registryBucket, createNames('proj-b').registryBucket];
        for (const bucketName of [aName, bName]) await backend.destroyBucket(bucketName);
        created.push({ backend, name: aName }, { backend, name: bName });
        const a = await backend.openBucket({ name: aName });
        const b = await backend.openBucket({ name: bName });
        await a.put('agent.1', 'from a');
        await b.put('agent.1', 'from b');
        await a.put('only.a', true);
        expect((await a.get('agent.1'))!.value).toBe('from a');
        expect((await b.get('agent.1'))!.value).toBe('from b');
        expect(await b.get('only.a')).toBeNull();
        expect(await b.keys()).toEqual(['agent.1']);
        await a.delete('agent.1');
        expect((await b.get('agent.1'))!.value).toBe('from b');
        expect(await a.keys()).toEqual(['only.a']);
      });
    });

    registerOptionalCases({ open, another, supports });
  });
}

