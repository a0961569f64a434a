// The memory store: writes records to their scope's bucket and answers reads from the watch-fed index.
import { LoomError, createRandomId, isVisible, type Identity, type Logger, type Names, type Scope, type StorageService } from '../../core/index.js';
import { EXPIRING_CATEGORIES, type Category } from './categories.js';
import { createMemoryIndex, type IndexedMemory, type MemoryIndex } from './memory-index.js';
import { openMemoryBuckets, readRecord, type MemoryBuckets } from './memory-feed.js';
import { assertCoreRoom, enforceCoreLimit } from './core-limit.js';
import type { MemoryOptions } from './options.js';
import { isExpired, type MemoryRecord } from './record.js';

export interface NewMemory {
  scope: Scope;
  category: Category;
  content: string;
  tags: string[];
  priority: number;
  source?: string | undefined;
  relatedTo?: string[] | undefined;
  sharedBy?: string;
  sharedFrom?: string;
}

export interface MemoryStore {
  readonly identity: Identity;
  readonly options: MemoryOptions;
  /** The index, loaded on first use; re-listed on each call only when the backend cannot watch. */
  view(): Promise<MemoryIndex>;
  /** Whether the caller may see this memory now: visible to it and not expired. */
  usable(item: IndexedMemory, now?: number): boolean;
  /** The memory with this id that the caller can see, or LOOM_ERR_NOT_FOUND naming `field`. */
  find(id: string, field: string): Promise<IndexedMemory>;
  create(memory: NewMemory): Promise<MemoryRecord>;
  remove(item: IndexedMemory): Promise<void>;
  /** Rewrites a memory under another category (a new key) and then deletes the old key; the id stays. */
  move(item: IndexedMemory, category: Category): Promise<MemoryRecord>;
  /** Deletes this agent's expired memories (private and personal); with dryRun only counts them. */
  sweep(dryRun: boolean): Promise<{ expired: MemoryRecord[]; scanned: number }>;
  close(): Promise<void>;
}

export interface MemoryStoreOptions {
  storage: StorageService;
  names: Names;
  identity: Identity;
  options: MemoryOptions;
  log: Logger;
}

export function createMemoryStore(deps: MemoryStoreOptions): MemoryStore {
  const { names, identity, options, log } = deps;
  const index = createMemoryIndex();
  const viewer = { agentId: identity.agentId, principal: identity.principal, projectId: identity.projectId };
  let opening: Promise<MemoryBuckets> | undefined;
  let closed = false;

  const buckets = (): Promise<MemoryBuckets> => {
    if (closed) return Promise.reject(new LoomError('LOOM_ERR_INTERNAL', 'the memory store is closed'));
    if (!opening) {
      opening = openMemoryBuckets({ storage: deps.storage, names, identity, index, log });
      opening.catch(() => (opening = undefined));
    }
    return opening;
  };
  const keyOf = (record: Pick<MemoryRecord, 'scope' | 'category' | 'id' | 'agentId'>) =>
    names.memoryKey(record.category, record.id, record.scope === 'private' ? record.agentId : undefined);
  const ttlOf = (category: Category): number | undefined => {
    if (!EXPIRING_CATEGORIES.includes(category)) return undefined;
    return category === 'tasks' ? options.tasksTtlMs : options.recentTtlMs;
  };
  const usable = (item: IndexedMemory, now = Date.now()) => item.expiresMs > now && isVisible(item.record, viewer);

  const write = async (record: MemoryRecord): Promise<void> => {
    const { byScope } = await buckets();
    const key = keyOf(record);
    const isPersonalCore = record.scope === 'personal' && record.category === 'core';
    if (isPersonalCore) await assertCoreRoom(byScope.personal, options.personalCoreLimit);
    const revision = await byScope[record.scope].create(key, record);
    index.apply(record.scope, key, revision, record);
    if (isPersonalCore) {
      await enforceCoreLimit({ bucket: byScope.personal, key, revision, limit: options.personalCoreLimit, index, ref: `personal/${key}` });
    }
  };

  const store: MemoryStore = {
    identity,
    options,
    async view() {
      const opened = await buckets();
      if (!opened.live) await opened.refresh();
      return index;
    },
    usable,
    async find(id, field) {
      const now = Date.now();
      const copies = (await store.view()).byId(id).filter((item) => usable(item, now));
      copies.sort((a, b) => (a.record.updatedAt < b.record.updatedAt ? 1 : -1));
      const found = copies[0];
      if (!found) throw new LoomError('LOOM_ERR_NOT_FOUND', `${field}: no memory ${id} that this agent can see (it may have expired, been forgotten, or belong to another agent or project)`, { field, id });
      return found;
    },
    async create(memory) {
      const now = new Date();
      const ttl = ttlOf(memory.category);
      const record: MemoryRecord = {
        id: createRandomId(),
        agentId: identity.agentId,
        principal: identity.principal,
        projectId: identity.projectId,
        scope: memory.scope,
        category: memory.category,
        content: memory.content,
        tags: memory.tags,
        priority: memory.priority,
        ...(memory.source !== undefined ? { source: memory.source } : {}),
        ...(memory.relatedTo !== undefined ? { relatedTo: memory.relatedTo } : {}),
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
        ...(ttl !== undefined ? { expiresAt: new Date(now.getTime() + ttl).toISOString() } : {}),
        ...(memory.sharedBy !== undefined ? { sharedBy: memory.sharedBy } : {}),
        ...(memory.sharedFrom !== undefined ? { sharedFrom: memory.sharedFrom } : {}),
      };
      await write(record);
      return record;
    },
    async remove(item) {
      const { byScope } = await buckets();
      await byScope[item.scope].delete(item.key);
      index.remove(item.ref);
    },
    async move(item, category) {
      const ttl = ttlOf(category);
      const now = new Date();
      const { expiresAt: _dropped, ...rest } = item.record;
      const record: MemoryRecord = { ...rest, category, updatedAt: now.toISOString(), ...(ttl !== undefined ? { expiresAt: new Date(now.getTime() + ttl).toISOString() } : {}) };
      // Write first, delete second: a crash in between leaves two copies (find picks the newer), never none.
      await write(record);
      await store.remove(item);
      return record;
    },
    async sweep(dryRun) {
      const { byScope, prefixes } = await buckets();
      const now = Date.now();
      const expired: MemoryRecord[] = [];
      let scanned = 0;
      for (const scope of ['private', 'personal'] as const) {
        for (const entry of await byScope[scope].list(prefixes[scope])) {
          scanned += 1;
          const record = readRecord(names, scope, entry.key, entry.value);
          if (!record || !isExpired(record, now) || !isVisible(record, viewer)) continue;
          expired.push(record);
          if (dryRun) continue;
          await byScope[scope].delete(entry.key);
          index.remove(`${scope}/${entry.key}`);
        }
      }
      return { expired, scanned };
    },
    async close() {
      closed = true;
      const opened = await opening?.catch(() => undefined);
      await opened?.stop();
    },
  };
  return store;
}
