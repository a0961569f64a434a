// One filesystem bucket: lock-free reads of renamed files, writes serialized by the bucket lock and the revision counter.
import { join } from 'node:path';
import { assertKvKey, assertKvPrefix, assertRevision, encodeKvValue, isExpired, kvConflict } from '../../../core/index.js';
import type { KvBucket, KvChange, KvEntry, KvWatch, Logger } from '../../../core/index.js';
import { atomicWrite, keyFileName, readAllEntries, readCounter, readKeyEntry, removeFile, serializeEntry, writeCounter, type BucketPaths, type StoredEntry } from './files.js';
import type { BucketLock } from './lock.js';
import { startPollWatch } from './watch.js';

export interface FilesystemBucketOptions {
  name: string;
  paths: BucketPaths;
  lock: BucketLock;
  ttlMs: number | undefined;
  pollMs: number;
  log: Logger | undefined;
  /** Registers a running watch so the backend can stop it on close. */
  track(watch: KvWatch): () => void;
}

/** Tombstones only exist so pollers notice deletes; after this long they are swept. */
export const TOMBSTONE_KEEP_MS = 60_000;
const SWEEP_EVERY_MS = 60_000;

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export function createFilesystemBucket(options: FilesystemBucketOptions): KvBucket {
  const { name, paths, lock, ttlMs } = options;
  const isLive = (entry: StoredEntry | null): entry is StoredEntry => entry !== null && !entry.deleted && !isExpired(entry.updatedAt, ttlMs);
  const toEntry = <T>(entry: StoredEntry): KvEntry<T> => ({ key: entry.key, value: entry.value as T, revision: entry.revision, updatedAt: entry.updatedAt });
  let lastSweep = 0;

  /** Under the lock: the next revision is counted before the entry is written, so a crash leaves a gap, never a reuse. */
  async function writeLocked(key: string, valueText: string | undefined): Promise<number> {
    const revision = (await readCounter(paths)) + 1;
    await writeCounter(paths, revision);
    await atomicWrite(paths, join(paths.entries, keyFileName(key)), serializeEntry(key, revision, Date.now(), valueText));
    if (Date.now() - lastSweep > SWEEP_EVERY_MS) await sweepLocked();
    return revision;
  }

  async function sweepLocked(): Promise<void> {
    lastSweep = Date.now();
    for (const entry of await readAllEntries(paths, '')) {
      const gone = entry.deleted ? Date.now() - entry.updatedAt > TOMBSTONE_KEEP_MS : isExpired(entry.updatedAt, ttlMs);
      if (gone) await removeFile(join(paths.entries, keyFileName(entry.key)));
    }
  }

  const liveEntries = async (prefix: string) => (await readAllEntries(paths, prefix)).filter(isLive).sort(byKey);

  return {
    name,
    async get<T>(key: string) {
      const entry = await readKeyEntry(paths, assertKvKey(key));
      return isLive(entry) ? toEntry<T>(entry) : null;
    },
    async put(key, value) {
      assertKvKey(key);
      const text = encodeKvValue(value);
      return lock.run(() => writeLocked(key, text));
    },
    async create(key, value) {
      assertKvKey(key);
      const text = encodeKvValue(value);
      return lock.run(async () => {
        if (isLive(await readKeyEntry(paths, key))) throw kvConflict(name, key, 'the key already exists');
        return writeLocked(key, text);
      });
    },
    async update(key, value, revision) {
      assertKvKey(key);
      assertRevision(revision);
      const text = encodeKvValue(value);
      return lock.run(async () => {
        const current = await readKeyEntry(paths, key);
        if (!isLive(current)) throw kvConflict(name, key, 'the key does not exist (deleted or expired)');
        if (current.revision !== revision) throw kvConflict(name, key, `it is at revision ${current.revision}, not ${revision}`);
        return writeLocked(key, text);
      });
    },
    async delete(key) {
      assertKvKey(key);
      await lock.run(async () => {
        const current = await readKeyEntry(paths, key);
        const expired = current !== null && !current.deleted && isExpired(current.updatedAt, ttlMs);
        if (isLive(current)) await writeLocked(key, undefined);
        else if (expired) await removeFile(join(paths.entries, keyFileName(key))); // expiry is silent: no tombstone
      });
    },
    async list<T>(prefix = '') {
      return (await liveEntries(assertKvPrefix(prefix))).map((entry) => toEntry<T>(entry));
    },
    async keys(prefix = '') {
      return (await liveEntries(assertKvPrefix(prefix))).map((entry) => entry.key);
    },
    async watch<T>(onChange: (change: KvChange<T>) => void, watchOptions: { prefix?: string; initial?: boolean } = {}) {
      const prefix = assertKvPrefix(watchOptions.prefix ?? '');
      const watch = await startPollWatch<T>({ paths, prefix, initial: watchOptions.initial ?? false, ttlMs, pollMs: options.pollMs, onChange, bucket: name, log: options.log });
      const untrack = options.track(watch);
      return {
        async stop() {
          untrack();
          await watch.stop();
        },
      };
    },
  };
}
