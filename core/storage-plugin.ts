// defineStorage and the storage service: plugins open buckets without knowing which backend is configured.
import type { z } from 'zod';
import { definePlugin, type LoomPlugin, type PluginContext } from './plugin.js';
import { defineService } from './services.js';
import type { BucketSpec, KvBucket, StorageBackend } from './storage.js';

export type StorageFactory = () => Promise<StorageBackend>;

export interface StorageDefinition<O> {
  name: `storage:${string}`;
  options?: z.ZodType<O>;
  create(ctx: PluginContext<O>): Promise<StorageBackend>;
}

export function defineStorage<O = undefined>(def: StorageDefinition<O>): LoomPlugin<O> {
  const id = def.name.slice('storage:'.length);
  return definePlugin<O>({
    name: def.name,
    ...(def.options ? { options: def.options } : {}),
    setup(ctx) {
      ctx.registries.storages.add(id, () => def.create(ctx), ctx.name);
    },
  });
}

/** What plugins use: the backend chosen by `storage` in the config (default nats-kv). */
export interface StorageService {
  readonly backendId: string;
  backend(): Promise<StorageBackend>;
  openBucket(spec: BucketSpec): Promise<KvBucket>;
}

export const storageService = defineService<StorageService>('loom:storage');
