// The contract cases for optional storage features (sharing, expiry, watch), registered only when a backend supports them.
import { describe, expect, it } from 'vitest';
import type { BucketSpec, KvBucket, KvChange, StorageBackend } from '../../core/index.js';
import { casIncrement, expectCode, waitFor, type StorageFeature } from './storage-helpers.js';

/** What the contract gives its cases: fresh buckets (destroyed afterwards) and more backend instances. */
export interface StorageContractContext {
  open(spec?: Omit<BucketSpec, 'name'>): Promise<KvBucket>;
  another(): Promise<StorageBackend>;
  supports(feature: StorageFeature): boolean;
}

export function registerOptionalCases(ctx: StorageContractContext): void {
  const { open, another, supports } = ctx;
  if (supports('shared')) {
    describe('sharing between backend instances', () => {
      it('a second backend instance sees what the first wrote', async () => {
        const bucket = await open();
        const second = await another();
        await bucket.put('shared.key', { from: 'first' });
        expect((await (await second.openBucket({ name: bucket.name })).get('shared.key'))!.value).toEqual({ from: 'first' });
      });

      it('two writers on two backend instances incrementing one counter with compare-and-set lose no update', async () => {
        const bucket = await open();
        const other = await (await another()).openBucket({ name: bucket.name });
        const n = 30;
        const writer = async (handle: KvBucket) => {
          for (let i = 0; i < n; i++) await casIncrement(handle, 'counter');
        };
        await Promise.all([writer(bucket), writer(other)]);
        expect((await other.get('counter'))!.value).toBe(2 * n);
      });
    });
  }

  if (supports('ttl')) {
    describe('expiry', () => {
      it('an entry is not returned by get, list or keys once its ttl has passed, while a bucket without ttl keeps its entry', async () => {
        const bucket = await open({ ttlMs: 1000 });
        const lasting = await open();
        await bucket.put('short.lived', 'soon gone');
        await lasting.put('short.lived', 'stays');
        expect((await bucket.get('short.lived'))!.value).toBe('soon gone');
        await waitFor(async () => (await bucket.get('short.lived')) === null, 'the entry to expire');
        expect(await bucket.list()).toEqual([]);
        expect(await bucket.keys('short.')).toEqual([]);
        expect((await lasting.get('short.lived'))!.value).toBe('stays');
      });

      it('an expired key can be created again, and updating an expired entry is LOOM_ERR_CONFLICT', async () => {
        const bucket = await open({ ttlMs: 1000 });
        const revision = await bucket.create('lease', 'old holder');
        await waitFor(async () => (await bucket.get('lease')) === null, 'the lease to expire');
        await expectCode(bucket.update('lease', 'late', revision), 'LOOM_ERR_CONFLICT');
        await bucket.create('lease', 'new holder');
        expect((await bucket.get('lease'))!.value).toBe('new holder');
      });
    });
  }

  if (supports('watch')) {
    describe('watch', () => {
      const collect = () => {
        const changes: KvChange[] = [];
        return { changes, onChange: (change: KvChange) => changes.push(change) };
      };

      it('a watch sees puts and deletes made after it starts, in order, with values and revisions', async () => {
        const bucket = await open();
        await bucket.put('before', 0);
        await bucket.put('doomed', 0);
        const seen = collect();
        const watch = await bucket.watch(seen.onChange);
        const r1 = await bucket.put('a', 1);
        const r2 = await bucket.put('b', { two: 2 });
        await bucket.delete('doomed');
        await waitFor(() => seen.changes.some((c) => c.op === 'delete'), 'the delete to be seen');
        await watch.stop();
        expect(seen.changes.slice(0, 2)).toEqual([
          { op: 'put', key: 'a', value: 1, revision: r1 },
          { op: 'put', key: 'b', value: { two: 2 }, revision: r2 },
        ]);
        expect(seen.changes[2]).toMatchObject({ op: 'delete', key: 'doomed', value: undefined });
        expect(seen.changes[2]!.revision).toBeGreaterThan(r2);
        expect(seen.changes.some((c) => c.key === 'before')).toBe(false);
      });

      it('when one key changes several times quickly, the last change a watch reports is its final state', async () => {
        const bucket = await open();
        const seen = collect();
        const watch = await bucket.watch(seen.onChange);
        await bucket.put('hot', 1);
        await bucket.put('hot', 2);
        await bucket.delete('hot');
        const final = await bucket.put('hot', 3);
        await waitFor(() => seen.changes.some((c) => c.revision === final), 'the final put to be seen');
        await watch.stop();
        expect(seen.changes.at(-1)).toEqual({ op: 'put', key: 'hot', value: 3, revision: final });
        const revisions = seen.changes.map((c) => c.revision);
        expect(revisions).toEqual([...revisions].sort((x, y) => x - y));
      });

      it('a watch with a prefix sees only the keys that start with it', async () => {
        const bucket = await open();
        const seen = collect();
        const watch = await bucket.watch(seen.onChange, { prefix: 'agent.' });
        await bucket.put('other.1', 'no');
        await bucket.put('agent.1', 'yes');
        await bucket.put('agent', 'no');
        await bucket.put('agent.2', 'last');
        await waitFor(() => seen.changes.some((c) => c.key === 'agent.2'), 'agent.2 to be seen');
        await watch.stop();
        expect(seen.changes.map((c) => c.key)).toEqual(['agent.1', 'agent.2']);
      });

      it('a watch with initial first reports the entries that exist, then later changes', async () => {
        const bucket = await open();
        await bucket.put('x.1', 1);
        await bucket.put('x.2', 2);
        await bucket.put('x.3', 3);
        await bucket.delete('x.3');
        const seen = collect();
        const watch = await bucket.watch(seen.onChange, { initial: true, prefix: 'x.' });
        await bucket.put('x.4', 4);
        await waitFor(() => seen.changes.some((c) => c.key === 'x.4'), 'x.4 to be seen');
        await watch.stop();
        expect(seen.changes.map((c) => `${c.op} ${c.key} ${String(c.value)}`)).toEqual(['put x.1 1', 'put x.2 2', 'put x.4 4']);
      });

      it('a stopped watch reports nothing more', async () => {
        const bucket = await open();
        const stopped = collect();
        const watch = await bucket.watch(stopped.onChange);
        await watch.stop();
        const live = collect();
        const liveWatch = await bucket.watch(live.onChange);
        await bucket.put('after.stop', 1);
        await waitFor(() => live.changes.length > 0, 'the live watch to see the put');
        await liveWatch.stop();
        expect(stopped.changes).toEqual([]);
      });

      if (supports('shared')) {
        it('a watch sees puts and deletes made through another backend instance', async () => {
          const bucket = await open();
          await bucket.put('seed', 0);
          const seen = collect();
          const watch = await bucket.watch(seen.onChange);
          const writer = await (await another()).openBucket({ name: bucket.name });
          await writer.put('remote', 'hello');
          await writer.delete('seed');
          await waitFor(() => seen.changes.some((c) => c.op === 'delete'), 'the remote delete to be seen');
          await watch.stop();
          expect(seen.changes.map((c) => `${c.op} ${c.key} ${String(c.value)}`)).toEqual(['put remote hello', 'delete seed undefined']);
        });
      }
    });
  }
}
