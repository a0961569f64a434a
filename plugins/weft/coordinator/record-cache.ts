// Weft's own latest writes to its record buckets: a read-modify-write starts from the entry weft last wrote instead of
// reading it back first, one round trip less per work event. Only a first guess: compare-and-set still decides.
import type { KvBucket } from '../../../core/index.js';

export interface WrittenEntry<T> {
  value: T;
  revision: number;
}

/** Per project a few hundred recent items at most; anything older is simply read again. */
const LIMIT = 256;
const caches = new WeakMap<KvBucket, Map<string, WrittenEntry<unknown>>>();

/** Turns the cache on for this bucket object (weft's handle on weft-<p>-work or weft-<p>-assignments). */
export function rememberWrites(bucket: KvBucket): KvBucket {
  if (!caches.has(bucket)) caches.set(bucket, new Map());
  return bucket;
}

/** Copies in and out: a caller changing the value it wrote, or the one it was given, must not change the guess,
 *  which would then be written back as if it were the stored record. */
export function lastWritten<T>(bucket: KvBucket, key: string): WrittenEntry<T> | undefined {
  const entry = caches.get(bucket)?.get(key) as WrittenEntry<T> | undefined;
  return entry && { value: structuredClone(entry.value), revision: entry.revision };
}

/** Whether weft wrote this key (so the record exists), without copying the value. */
export function hasWritten(bucket: KvBucket, key: string): boolean {
  return caches.get(bucket)?.has(key) ?? false;
}

export function noteWrite(bucket: KvBucket, key: string, value: unknown, revision: number): void {
  const cache = caches.get(bucket);
  if (!cache) return;
  cache.delete(key);
  cache.set(key, { value: structuredClone(value), revision });
  if (cache.size > LIMIT) cache.delete(cache.keys().next().value!);
}

export function forgetWrite(bucket: KvBucket, key: string): void {
  caches.get(bucket)?.delete(key);
}
