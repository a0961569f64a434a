// Watching a NATS KV bucket: an updates-only kv.watch, with the current entries (when asked) listed while it buffers.
import { KvWatchInclude, type KV } from '@nats-io/kv';
import type { KvChange, KvEntry, KvWatch, Logger } from '../../../core/index.js';
import { filterFor, toChange } from './codec.js';

export interface KvWatchOptions<T> {
  kv: KV;
  bucket: string;
  prefix: string;
  initial: boolean;
  onChange(change: KvChange<T>): void;
  list(): Promise<KvEntry<T>[]>;
  log: Logger | undefined;
}

export async function startKvWatch<T>(options: KvWatchOptions<T>): Promise<KvWatch> {
  const { prefix } = options;
  const deliver = (change: KvChange<T>) => {
    try {
      options.onChange(change);
    } catch (err) {
      options.log?.error({ err, bucket: options.bucket, key: change.key }, 'a storage watcher threw');
    }
  };
  const updates = await options.kv.watch({ key: filterFor(prefix), include: KvWatchInclude.UpdatesOnly });
  // While the current entries are listed, updates wait here so none is lost or delivered out of order.
  let buffered: KvChange<T>[] | undefined = options.initial ? [] : undefined;
  const loop = (async () => {
    for await (const entry of updates) {
      if (!entry.key.startsWith(prefix)) continue;
      let change: KvChange<T>;
      try {
        change = toChange<T>(entry);
      } catch (err) {
        options.log?.warn({ err, bucket: options.bucket, key: entry.key }, 'skipped a KV entry that is not JSON');
        continue;
      }
      if (buffered) buffered.push(change);
      else deliver(change);
    }
  })();
  if (buffered) {
    try {
      const current = await options.list();
      const listedAt = new Map(current.map((entry) => [entry.key, entry.revision]));
      for (const entry of current) deliver({ op: 'put', key: entry.key, value: entry.value, revision: entry.revision });
      for (const change of buffered) if ((listedAt.get(change.key) ?? 0) < change.revision) deliver(change);
    } catch (err) {
      updates.stop();
      throw err;
    } finally {
      buffered = undefined;
    }
  }
  return {
    async stop() {
      updates.stop();
      await loop;
    },
  };
}
