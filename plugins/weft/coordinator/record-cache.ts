// Weft's own latest writes to its record buckets: a read-modify-write starts from the entry weft last wrote instead of
// reading it back first, one round trip less per work event. Only a first guess: compare-and-set still decides.
import type { KvBucket } from '../../../core/index.js';

export interface WrittenEntry<T> {
  value: T;
  revision: number;
}

/** Per project a few hundred recent items at most; anything older is simply read again. */
const LIMIT = 256;
/** Kept as the JSON the bucket stores: a guess then reads back exactly as a KV get would, and a string copies for
 *  free (structuredClone in and out cost twice as much and showed up in weft's profile while it followed events). */
const caches = new WeakMap<KvBucket, Map<string, { json: string; revision: number }>>();

/** Turns the cache on for this bucket object (weft's handle on weft-<p>-work or weft-<p>-assignments). */
export function rememberWrites(bucket: KvBucket): KvBucket {
  if (!caches.has(bucket)) caches.set(bucket, new Map());
  return bucket;
}

/** A fresh value on every call: a caller changing the value it wrote, or the one it was given, must not change the
 *  guess, which would then be written back as if it were the stored record. */
export function lastWritten<T>(bucket: KvBucket, key: string): WrittenEntry<T> | undefined {
  const entry = caches.get(bucket)?.get(key);
  return entry && { value: JSON.parse(entry.json) as T, revision: entry.revision };
}

/** Whether weft wrote this key (so the record exists), without copying the value. */
export function hasWritten(bucket: KvBucket, key: string): boolean {
  return caches.get(bucket)?.has(key) ?? false;
}

export function noteWrite(bucket: KvBucket, key: string, value: unknown, revision: number): void {
  const cache = caches.get(bucket);
  if (!cache) return;
  cache.delete(key);
  cache.set(key, { json: JSON.stringify(value), revision });
  if (cache.size > LIMIT) cache.delete(cache.keys().next().value!);
}

export function forgetWrite(bucket: KvBucket, key: string): void {
  caches.get(bucket)?.delete(key);
}
