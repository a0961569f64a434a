// createFilesystemBackend: buckets as directories that several processes on one machine can share safely.
import { mkdir, rm } from 'node:fs/promises';
import { assertBucketName, assertBucketSpec } from '../../../core/index.js';
import type { BucketSpec, KvBucket, KvWatch, Logger, StorageBackend } from '../../../core/index.js';
import { bucketPaths } from './files.js';
import { createBucketLock, type BucketLock } from './lock.js';
import { createFilesystemBucket } from './bucket.js';

export interface FilesystemBackendOptions {
  /** The directory that holds one sub-directory per bucket. */
  dir: string;
  /** How often a watch looks for changes. */
  pollMs?: number;
  /** How long a write waits for another process's lock before LOOM_ERR_TIMEOUT. */
  lockTimeoutMs?: number;
  /** A lock file older than this is taken over even if its holder seems alive. */
  lockStaleMs?: number;
  log?: Logger;
}

export function createFilesystemBackend(options: FilesystemBackendOptions): StorageBackend {
  const locks = new Map<string, BucketLock>();
  const watches = new Set<KvWatch>();
  const lockOptions = { timeoutMs: options.lockTimeoutMs ?? 10_000, staleMs: options.lockStaleMs ?? 30_000 };
  const lockFor = (path: string): BucketLock => {
    let lock = locks.get(path);
    if (!lock) locks.set(path, (lock = createBucketLock(path, lockOptions)));
    return lock;
  };

  return {
    id: 'filesystem',
    features: { ttl: true, watch: true, shared: true },
    async openBucket(input: BucketSpec): Promise<KvBucket> {
      const spec = assertBucketSpec(input);
      const paths = bucketPaths(options.dir, spec.name);
      await mkdir(paths.entries, { recursive: true });
      await mkdir(paths.tmp, { recursive: true });
      return createFilesystemBucket({
        name: spec.name,
        paths,
        lock: lockFor(paths.lock),
        ttlMs: spec.ttlMs,
        pollMs: options.pollMs ?? 100,
        log: options.log,
        track(watch) {
          watches.add(watch);
          return () => watches.delete(watch);
        },
      });
    },
    async destroyBucket(name) {
      await rm(bucketPaths(options.dir, assertBucketName(name)).root, { recursive: true, force: true });
    },
    async close() {
      await Promise.all([...watches].map((watch) => watch.stop()));
      watches.clear();
    },
  };
}
