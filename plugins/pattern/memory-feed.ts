// Opens the four memory buckets and keeps the memory index current: a watch per bucket, then a list to catch up.
import type { KvBucket, KvWatch, Logger, Names, Scope, StorageService } from '../../core/index.js';
import type { Identity } from '../../core/index.js';
import type { MemoryIndex } from './memory-index.js';
import { memoryRecordSchema, type MemoryRecord } from './record.js';

export interface MemoryBuckets {
  readonly byScope: Readonly<Record<Scope, KvBucket>>;
  /** Only this agent's keys are read from the private bucket: other agents' private memories never enter the process. */
  readonly prefixes: Readonly<Record<Scope, string>>;
  /** False when the backend cannot watch: then every read lists the buckets again. */
  readonly live: boolean;
  refresh(): Promise<void>;
  stop(): Promise<void>;
}

export interface FeedOptions {
  storage: StorageService;
  names: Names;
  identity: Identity;
  index: MemoryIndex;
  log: Logger;
}

/** The record stored at `key` in the bucket of `scope`, or null when it is not a well-formed memory for that key. */
export function readRecord(names: Names, scope: Scope, key: string, value: unknown): MemoryRecord | null {
  const parsed = memoryRecordSchema.safeParse(value);
  if (!parsed.success || parsed.data.scope !== scope) return null;
  const record = parsed.data;
  try {
    const expected = names.memoryKey(record.category, record.id, scope === 'private' ? record.agentId : undefined);
    return expected === key ? record : null;
  } catch {
    return null;
  }
}

export async function openMemoryBuckets(options: FeedOptions): Promise<MemoryBuckets> {
  const { storage, names, identity, index, log } = options;
  const bucketNames: Record<Scope, string> = {
    private: names.memoryBucket('private'),
    team: names.memoryBucket('team'),
    public: names.publicMemoryBucket,
    personal: names.personalMemoryBucket(identity.principalHash),
  };
  const prefixes: Record<Scope, string> = { private: names.memoryAgentPrefix(identity.agentId), team: '', public: '', personal: '' };
  const scopes = Object.keys(bucketNames) as Scope[];
  const opened = await Promise.all(scopes.map((scope) => storage.openBucket({ name: bucketNames[scope] })));
  const byScope = Object.fromEntries(scopes.map((scope, i) => [scope, opened[i]!])) as Record<Scope, KvBucket>;
  const live = (await storage.backend()).features.watch;

  const feed = (scope: Scope, key: string, revision: number, value: unknown, deleted: boolean) => {
    const record = deleted ? null : readRecord(names, scope, key, value);
    if (!deleted && !record) log.debug({ scope, key }, 'ignoring a value that is not a memory record');
    index.apply(scope, key, revision, record);
  };
  const watches: KvWatch[] = [];
  const refresh = async () => {
    await Promise.all(
      scopes.map(async (scope) => {
        const listed = new Set<string>();
        for (const entry of await byScope[scope].list(prefixes[scope])) {
          listed.add(`${scope}/${entry.key}`);
          feed(scope, entry.key, entry.revision, entry.value, false);
        }
        // Without a watch, a key missing from the list is how a delete by another process shows.
        if (!live) for (const item of [...index.all()]) if (item.scope === scope && !listed.has(item.ref)) index.remove(item.ref);
      }),
    );
  };
  try {
    if (live) {
      for (const scope of scopes) {
        const watch = await byScope[scope].watch((change) => feed(scope, change.key, change.revision, change.value, change.op === 'delete'), prefixes[scope] ? { prefix: prefixes[scope] } : {});
        watches.push(watch);
      }
    }
    // Listing after the watches start closes the gap; the index's revision rule makes the order irrelevant.
    await refresh();
  } catch (err) {
    await Promise.all(watches.map((watch) => watch.stop().catch(() => {})));
    throw err;
  }
  return {
    byScope,
    prefixes,
    live,
    refresh,
    async stop() {
      await Promise.all(watches.map((watch) => watch.stop().catch(() => {})));
    },
  };
}
