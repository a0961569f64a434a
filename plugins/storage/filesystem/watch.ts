// Watching a filesystem bucket by polling (fs.watch misses events on many filesystems): diff each scan against the last.
import { isExpired, type KvChange, type KvWatch, type Logger } from '../../../core/index.js';
import { readAllEntries, readCounter, type BucketPaths } from './files.js';

export interface PollWatchOptions<T> {
  paths: BucketPaths;
  bucket: string;
  prefix: string;
  initial: boolean;
  ttlMs: number | undefined;
  pollMs: number;
  onChange(change: KvChange<T>): void;
  log: Logger | undefined;
}

interface Known {
  revision: number;
  updatedAt: number;
}

/** Resolves once the baseline is taken: every write after that is reported (a burst between two polls collapses to the last value per key, as in a NATS KV with history 1). */
export async function startPollWatch<T>(options: PollWatchOptions<T>): Promise<KvWatch> {
  const { paths, prefix, ttlMs } = options;
  const known = new Map<string, Known>();
  let lastCounter = await readCounter(paths);
  let highWater = lastCounter;
  const initial: KvChange<T>[] = [];
  for (const entry of await readAllEntries(paths, prefix)) {
    highWater = Math.max(highWater, entry.revision);
    if (entry.deleted || isExpired(entry.updatedAt, ttlMs)) continue;
    known.set(entry.key, { revision: entry.revision, updatedAt: entry.updatedAt });
    if (options.initial) initial.push({ op: 'put', key: entry.key, value: entry.value as T, revision: entry.revision });
  }

  let stopped = false;
  const deliver = (changes: KvChange<T>[]) => {
    if (stopped) return;
    for (const change of changes.sort((a, b) => a.revision - b.revision || (a.key < b.key ? -1 : 1))) {
      try {
        options.onChange(change);
      } catch (err) {
        options.log?.error({ err, bucket: options.bucket, key: change.key }, 'a storage watcher threw');
      }
    }
  };

  async function poll(): Promise<void> {
    const counter = await readCounter(paths);
    if (counter === lastCounter) return;
    // The counter is read before the scan and written before each entry, so nothing written after this read is missed next time.
    const entries = await readAllEntries(paths, prefix);
    lastCounter = counter;
    const before = highWater;
    const changes: KvChange<T>[] = [];
    const seen = new Set<string>();
    for (const entry of entries) {
      seen.add(entry.key);
      highWater = Math.max(highWater, entry.revision);
      const was = known.get(entry.key);
      if (entry.deleted) {
        if (was || entry.revision > before) changes.push({ op: 'delete', key: entry.key, value: undefined, revision: entry.revision });
        known.delete(entry.key);
      } else if (isExpired(entry.updatedAt, ttlMs)) {
        known.delete(entry.key); // expiry is silent, as in NATS KV
      } else if (!was || was.revision !== entry.revision) {
        known.set(entry.key, { revision: entry.revision, updatedAt: entry.updatedAt });
        changes.push({ op: 'put', key: entry.key, value: entry.value as T, revision: entry.revision });
      }
    }
    for (const [key, was] of known) {
      if (seen.has(key)) continue;
      known.delete(key);
      if (!isExpired(was.updatedAt, ttlMs)) changes.push({ op: 'delete', key, value: undefined, revision: Math.max(counter, highWater) });
    }
    highWater = Math.max(highWater, counter);
    deliver(changes);
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = poll()
        .catch((err: unknown) => options.log?.warn({ err, bucket: options.bucket }, 'storage watch poll failed; retrying'))
        .finally(schedule);
    }, options.pollMs);
    timer.unref();
  };
  queueMicrotask(() => deliver(initial));
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
