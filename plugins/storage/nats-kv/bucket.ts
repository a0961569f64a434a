// One NATS KV bucket behind the KvBucket interface: CAS on revision, prefix listing, and an age check on every read.
import type { KV } from '@nats-io/kv';
import { assertKvKey, assertKvPrefix, assertRevision, isExpired, kvConflict } from '../../../core/index.js';
import type { KvBucket, KvChange, KvEntry, KvWatch, Logger } from '../../../core/index.js';
import { encodeValue, filterFor, isLivePut, isWrongLastSequence, toEntry } from './codec.js';
import { startKvWatch } from './watch.js';
import { scanLastEntries } from './scan.js';
import { retryNoResponders as retry } from './retry.js';

export interface NatsKvBucketOptions {
  name: string;
  kv: KV;
  /** The server purges by the bucket's max age; reads also check age, since a purge can lag (and 2.9 has no per-message TTL). */
  ttlMs: number | undefined;
  log: Logger | undefined;
  track(watch: KvWatch): () => void;
}

export function createNatsKvBucket(options: NatsKvBucketOptions): KvBucket {
  const { name, kv, ttlMs } = options;
  const isLive = (entry: Parameters<typeof isLivePut>[0]) => isLivePut(entry) && !isExpired(entry.created.getTime(), ttlMs);

  async function rawLive(key: string) {
    const entry = await retry(() => kv.get(key));
    return isLive(entry) ? entry : null;
  }

  async function collect<T>(prefix: string): Promise<KvEntry<T>[]> {
    const scanned = await scanLastEntries(kv, filterFor(prefix));
    if (scanned) {
      const live = scanned.filter((entry) => entry.key.startsWith(prefix) && isLive(entry));
      live.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      return live.map((entry) => toEntry<T>(entry));
    }
    const keys: string[] = [];
    for await (const key of await kv.keys(filterFor(prefix))) if (key.startsWith(prefix)) keys.push(key);
    keys.sort();
    const entries = await Promise.all(keys.map((key) => rawLive(key)));
    return entries.filter((entry) => entry !== null).map((entry) => toEntry<T>(entry));
  }

  const bucket: KvBucket = {
    name,
    async get<T>(key: string) {
      const entry = await rawLive(assertKvKey(key));
      return entry ? toEntry<T>(entry) : null;
    },
    async put(key, value) {
      const data = encodeValue(value);
      return retry(() => kv.put(assertKvKey(key), data));
    },
    async create(key, value) {
      assertKvKey(key);
      const data = encodeValue(value);
      try {
        return await retry(() => kv.create(key, data));
      } catch (err) {
        if (!isWrongLastSequence(err)) throw err;
      }
      // The key holds a value: an expired one the server has not purged yet counts as absent.
      const existing = await retry(() => kv.get(key));
      if (!isLivePut(existing) || isLive(existing)) throw kvConflict(name, key, 'the key already exists');
      try {
        return await retry(() => kv.update(key, data, existing.revision));
      } catch (err) {
        if (isWrongLastSequence(err)) throw kvConflict(name, key, 'the key already exists');
        throw err;
      }
    },
    async update(key, value, revision) {
      assertKvKey(key);
      assertRevision(revision);
      const data = encodeValue(value);
      if (ttlMs !== undefined) {
        const current = await retry(() => kv.get(key));
        if (!isLive(current)) throw kvConflict(name, key, 'the key does not exist (deleted or expired)');
      }
      try {
        return await retry(() => kv.update(key, data, revision));
      } catch (err) {
        if (isWrongLastSequence(err)) throw kvConflict(name, key, `it is no longer at revision ${revision}`);
        throw err;
      }
    },
    async delete(key) {
      assertKvKey(key);
      await retry(() => kv.delete(key));
    },
    async list<T>(prefix = '') {
      return collect<T>(assertKvPrefix(prefix));
    },
    async keys(prefix = '') {
      assertKvPrefix(prefix);
      if (ttlMs !== undefined) return (await collect(prefix)).map((entry) => entry.key);
      const keys: string[] = [];
      for await (const key of await kv.keys(filterFor(prefix))) if (key.startsWith(prefix)) keys.push(key);
      return keys.sort();
    },
    async watch<T>(onChange: (change: KvChange<T>) => void, watchOptions: { prefix?: string; initial?: boolean } = {}) {
      const prefix = assertKvPrefix(watchOptions.prefix ?? '');
      const watch = await startKvWatch<T>({ kv, prefix, initial: watchOptions.initial ?? false, onChange, list: () => bucket.list<T>(prefix), bucket: name, log: options.log });
      const untrack = options.track(watch);
      return {
        async stop() {
          untrack();
          await watch.stop();
        },
      };
    },
  };
  return bucket;
}
