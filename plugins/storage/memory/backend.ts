// createMemoryBackend: buckets that live in this process only (kernel tests, single-process tools).
import { assertBucketName, assertBucketSpec } from '../../../core/index.js';
import type { BucketSpec, KvBucket, Logger, StorageBackend } from '../../../core/index.js';
import { createMemoryBucket, createMemoryBucketState, type MemoryBucketState } from './bucket.js';

export interface MemoryBackendOptions {
  log?: Logger;
}

export function createMemoryBackend(options: MemoryBackendOptions = {}): StorageBackend {
  const buckets = new Map<string, MemoryBucketState>();
  return {
    id: 'memory',
    features: { ttl: true, watch: true, shared: false },
    async openBucket(input: BucketSpec): Promise<KvBucket> {
      const spec = assertBucketSpec(input);
      let state = buckets.get(spec.name);
      if (!state) buckets.set(spec.name, (state = createMemoryBucketState()));
      return createMemoryBucket(spec.name, state, spec.ttlMs, options.log);
    },
    async destroyBucket(name) {
      const state = buckets.get(assertBucketName(name));
      state?.listeners.clear();
      buckets.delete(name);
    },
    async close() {
      for (const state of buckets.values()) state.listeners.clear();
      buckets.clear();
    },
  };
}
