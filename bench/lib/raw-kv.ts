// Raw nats.js KV for the bench: fill a bucket fast (pipelined puts) and read all of it the way a plain client would.
import { KvWatchInclude, type KV, type KvEntry } from '@nats-io/kv';
import type { Raw } from './fabric.js';

/** Writes every [key, value] with `concurrency` puts in flight. */
export async function fillBucket(raw: Raw, bucket: string, entries: Array<[string, unknown]>, concurrency = 256, ttlMs?: number): Promise<KV> {
  // The settings our storage backend gives the bucket (history 1, its ttl as max age), so it binds to it unchanged.
  const kv = await raw.kvm.create(bucket, { history: 1, ...(ttlMs ? { ttl: ttlMs } : {}) });
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < entries.length) {
        const [key, value] = entries[next++]!;
        await kv.put(key, JSON.stringify(value));
      }
    }),
  );
  return kv;
}

/** Every current entry, through one watcher (the cheapest full read nats.js offers): what a client without an index does per query. */
export async function readAll(kv: KV): Promise<KvEntry[]> {
  const expected = (await kv.status()).values;
  const out: KvEntry[] = [];
  if (expected === 0) return out;
  const watch = await kv.watch({ include: KvWatchInclude.LastValue });
  for await (const entry of watch) {
    if (entry.operation === 'PUT') out.push(entry);
    if (entry.isUpdate || out.length >= expected) break;
  }
  watch.stop();
  return out;
}
