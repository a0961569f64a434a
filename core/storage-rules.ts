// Rules every storage backend applies the same way: bucket names, keys, prefixes, revisions, JSON values, expiry.
import { LoomError } from './errors.js';
import { KV_KEY_PATTERN, type BucketSpec } from './storage.js';

/** Bucket names become NATS stream names and directory names: no dots, slashes or spaces. */
export const BUCKET_NAME_PATTERN = /^[A-Za-z0-9_-]{1,200}$/;
const PREFIX_PATTERN = /^[A-Za-z0-9_=-][A-Za-z0-9_=.\-/]{0,254}$/;

const keyRule = '1-255 of A-Z, a-z, 0-9, "_", "=", "-", "/" or ".", not starting or ending with "." and without ".." (no spaces, "*" or ">")';

function shown(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return `a ${typeof value}`;
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

export function assertBucketName(name: unknown): string {
  if (typeof name === 'string' && BUCKET_NAME_PATTERN.test(name)) return name;
  throw new LoomError('LOOM_ERR_INVALID_NAME', `bucket name must be 1-200 of A-Z, a-z, 0-9, "_" or "-" (build it with createNames); got ${shown(name)}`, { field: 'bucket' });
}

/** Validates what openBucket receives; returns the spec with ttlMs absent when there is no expiry. */
export function assertBucketSpec(spec: BucketSpec): BucketSpec {
  const name = assertBucketName(spec?.name);
  if (spec.ttlMs === undefined || spec.ttlMs === 0) return { name };
  if (!Number.isSafeInteger(spec.ttlMs) || spec.ttlMs < 0) {
    throw new LoomError('LOOM_ERR_INVALID_INPUT', `bucket ${name}: ttlMs must be a positive whole number of milliseconds; got ${shown(spec.ttlMs)}`, { field: 'ttlMs' });
  }
  return { name, ttlMs: spec.ttlMs };
}

/** Returns the key or throws LOOM_ERR_INVALID_NAME; the rule is what NATS KV subjects, file names and maps all accept. */
export function assertKvKey(key: unknown): string {
  if (typeof key === 'string' && KV_KEY_PATTERN.test(key) && !key.endsWith('.') && !key.includes('..')) return key;
  throw new LoomError('LOOM_ERR_INVALID_NAME', `key must be ${keyRule}; got ${shown(key)}`, { field: 'key' });
}

/** A list/watch prefix: '' for everything, else the start of a valid key (it may end with "."). */
export function assertKvPrefix(prefix: unknown): string {
  if (prefix === '' || (typeof prefix === 'string' && PREFIX_PATTERN.test(prefix) && !prefix.includes('..'))) return prefix;
  throw new LoomError('LOOM_ERR_INVALID_NAME', `prefix must be empty or the start of a key (${keyRule.replace(' or ending', '')}); got ${shown(prefix)}`, { field: 'prefix' });
}

export function assertRevision(revision: unknown): number {
  if (typeof revision === 'number' && Number.isSafeInteger(revision) && revision > 0) return revision;
  throw new LoomError('LOOM_ERR_INVALID_INPUT', `revision must be a positive integer taken from a previous read or write; got ${shown(revision)}`, { field: 'revision' });
}

/** The one JSON encoding of a stored value; anything JSON cannot carry is refused before anything is written. */
export function encodeKvValue(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new LoomError('LOOM_ERR_INVALID_INPUT', `value must be JSON-serializable: ${err instanceof Error ? err.message : String(err)}`, { field: 'value' });
  }
  if (text === undefined) throw new LoomError('LOOM_ERR_INVALID_INPUT', `value must be JSON-serializable; got ${typeof value}`, { field: 'value' });
  return text;
}

export function decodeKvValue<T = unknown>(text: string): T {
  return JSON.parse(text) as T;
}

/** An entry written at updatedAt is gone once ttlMs has passed, whether or not anything cleaned it up. */
export function isExpired(updatedAt: number, ttlMs: number | undefined, now = Date.now()): boolean {
  return ttlMs !== undefined && ttlMs > 0 && now - updatedAt >= ttlMs;
}

export function kvConflict(bucket: string, key: string, why: string): LoomError {
  return new LoomError('LOOM_ERR_CONFLICT', `${bucket}/${key}: ${why}. Read the entry again and retry with its current revision.`, { bucket, key });
}
