// The manager's state in KV (attempts and needs in weft-<p>-spinups, started agents in weft-<p>-spawned), with
// write-through caches: only the acting weft writes, so the hot loop never scans KV (a scan under writes can stall).
import { JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { globalNames, kvStreamName, natsService, storageService, type KvBucket, type PluginContext } from '../../core/index.js';
import { createProjectStore, type ProjectStore } from './project-store.js';

export type { ProjectStore } from './project-store.js';

export interface Stores {
  forProject(projectId: string): ProjectStore;
  /** Projects that have (or had) agents weft started: the check loop's list after a restart. */
  projects(): Promise<string[]>;
  /** Drops every cache, so the next read loads from KV (after this instance becomes the acting one). */
  reload(): void;
}

export function createStores(ctx: PluginContext<unknown>, historyTtlMs: number): Stores {
  const storage = ctx.use(storageService);
  const open = new Map<string, Promise<KvBucket>>();
  const bucket = (name: string, ttlMs?: number) => {
    let found = open.get(name);
    if (!found) {
      found = storage.openBucket({ name, ...(ttlMs ? { ttlMs } : {}) });
      open.set(name, found);
      found.catch(() => open.delete(name));
    }
    return found;
  };
  // Reads of state nobody wrote yet answer "nothing" without creating the bucket (nats-kv opens with create); buckets
  // appear on the first write. The other backends open locally and cheaply, so they just open.
  const existing = async (name: string, ttlMs?: number): Promise<KvBucket | undefined> => {
    if (open.has(name) || storage.backendId !== 'nats-kv') return bucket(name, ttlMs);
    const jsm = await ctx.use(natsService).manager();
    const found = await jsm.streams.info(kvStreamName(name)).catch((err: unknown) => {
      if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound) return null;
      throw err;
    });
    return found ? bucket(name, ttlMs) : undefined;
  };
  const index = () => bucket(globalNames.weftSpinUpProjectsBucket);
  let known: Promise<Set<string>> | undefined;
  const knownProjects = () => {
    known ??= existing(globalNames.weftSpinUpProjectsBucket).then(async (b) => new Set(b ? await b.keys() : []));
    known.catch(() => (known = undefined));
    return known;
  };
  const stores = new Map<string, ProjectStore>();

  return {
    forProject(projectId) {
      let store = stores.get(projectId);
      if (!store) {
        store = createProjectStore(projectId, { open: bucket, existing }, historyTtlMs, async (id) => {
          const set = await knownProjects();
          if (set.has(id)) return;
          set.add(id);
          await (await index()).put(id, { projectId: id });
        });
        stores.set(projectId, store);
      }
      return store;
    },
    async projects() {
      return [...(await knownProjects())].sort();
    },
    reload() {
      known = undefined;
      for (const store of stores.values()) store.reload();
    },
  };
}
