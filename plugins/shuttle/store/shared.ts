// The shared copies in KV: shuttle-<p>-orchestrations (one key per orchestration) and shuttle-<p>-checkpoints
// (results, checkpoints and syntheses under "<orchestrationId>.<kind>…" keys).
import type { KvBucket, Names, StorageService } from '../../../core/index.js';

export interface SharedBuckets {
  orchestrations(): Promise<KvBucket>;
  checkpoints(): Promise<KvBucket>;
}

export const sharedKeys = {
  result: (orchestrationId: string, subtaskId: string) => `${orchestrationId}.result.${subtaskId}`,
  checkpoint: (orchestrationId: string, checkpointId: string) => `${orchestrationId}.checkpoint.${checkpointId}`,
  synthesis: (orchestrationId: string) => `${orchestrationId}.synthesis`,
};

export function createSharedBuckets(storage: StorageService, names: Names, ttl: { orchestrationTtlMs: number; checkpointTtlMs: number }): SharedBuckets {
  const lazy = (name: string, ttlMs: number) => {
    let bucket: Promise<KvBucket> | undefined;
    return () => {
      bucket ??= storage.openBucket({ name, ttlMs });
      bucket.catch(() => (bucket = undefined));
      return bucket;
    };
  };
  return {
    orchestrations: lazy(names.orchestrationsBucket, ttl.orchestrationTtlMs),
    checkpoints: lazy(names.checkpointsBucket, ttl.checkpointTtlMs),
  };
}
