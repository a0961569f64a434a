// One memory bucket: entries in a Map, a per-bucket revision counter, expiry checked on every read, in-process watchers.
import { assertKvKey, assertKvPrefix, assertRevision, decodeKvValue, encodeKvValue, isExpired, kvConflict } from '../../../core/index.js';
import type { KvBucket, KvChange, KvEntry, KvWatch, Logger } from '../../../core/index.js';

interface StoredEntry {
  key: string;
  /** The JSON text, so callers never share objects with the store. */
  text: string;
  revision: number;
  updatedAt: number;
}

interface StoredChange {
  op: 'put' | 'delete';
  key: string;
  text: string | undefined;
  revision: number;
}

/** What every handle of one bucket name shares inside one backend. */
export interface MemoryBucketState {
  revision: number;
  entries: Map<string, StoredEntry>;
  listeners: Set<(change: StoredChange) => void>;
  lastSweep: number;
}

export function createMemoryBucketState(): MemoryBucketState {
  return { revision: 0, entries: new Map(), listeners: new Set(), lastSweep: Date.now() };
}

const SWEEP_EVERY_MS = 1000;

export function createMemoryBucket(name: string, state: MemoryBucketState, ttlMs: number | undefined, log?: Logger): KvBucket {
  const live = (key: string): StoredEntry | undefined => {
    const entry = state.entries.get(key);
    return entry && !isExpired(entry.updatedAt, ttlMs) ? entry : undefined;
  };
  const toEntry = <T>(entry: StoredEntry): KvEntry<T> => ({ key: entry.key, value: decodeKvValue<T>(entry.text), revision: entry.revision, updatedAt: entry.updatedAt });

  // Expired entries are already invisible; the sweep only returns their memory.
  const sweep = () => {
    const now = Date.now();
    if (ttlMs === undefined || now - state.lastSweep < SWEEP_EVERY_MS) return;
    state.lastSweep = now;
    for (const [key, entry] of state.entries) if (isExpired(entry.updatedAt, ttlMs, now)) state.entries.delete(key);
  };

  const publish = (change: StoredChange) => {
    for (const listener of state.listeners) queueMicrotask(() => listener(change));
  };

  const write = (key: string, text: string): number => {
    sweep();
    const revision = ++state.revision;
    state.entries.set(key, { key, text, revision, updatedAt: Date.now() });
    publish({ op: 'put', key, text, revision });
    return revision;
  };

  const sorted = (prefix: string): StoredEntry[] =>
    [...state.entries.values()].filter((entry) => entry.key.startsWith(prefix) && !isExpired(entry.updatedAt, ttlMs)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  return {
    name,
    async get<T>(key: string) {
      const entry = live(assertKvKey(key));
      return entry ? toEntry<T>(entry) : null;
    },
    async put(key, value) {
      return write(assertKvKey(key), encodeKvValue(value));
    },
    async create(key, value) {
      assertKvKey(key);
      const text = encodeKvValue(value);
      if (live(key)) throw kvConflict(name, key, 'the key already exists');
      return write(key, text);
    },
    async update(key, value, revision) {
      assertKvKey(key);
      assertRevision(revision);
      const text = encodeKvValue(value);
      const current = live(key);
      if (!current) throw kvConflict(name, key, 'the key does not exist (deleted or expired)');
      if (current.revision !== revision) throw kvConflict(name, key, `it is at revision ${current.revision}, not ${revision}`);
      return write(key, text);
    },
    async delete(key) {
      assertKvKey(key);
      const existed = live(key);
      state.entries.delete(key);
      if (existed) publish({ op: 'delete', key, text: undefined, revision: ++state.revision });
    },
    async list<T>(prefix = '') {
      return sorted(assertKvPrefix(prefix)).map((entry) => toEntry<T>(entry));
    },
    async keys(prefix = '') {
      return sorted(assertKvPrefix(prefix)).map((entry) => entry.key);
    },
    async watch<T>(onChange: (change: KvChange<T>) => void, options: { prefix?: string; initial?: boolean } = {}): Promise<KvWatch> {
      const prefix = assertKvPrefix(options.prefix ?? '');
      const deliver = (change: StoredChange) => {
        if (!change.key.startsWith(prefix)) return;
        try {
          onChange({ op: change.op, key: change.key, value: change.text === undefined ? undefined : decodeKvValue<T>(change.text), revision: change.revision });
        } catch (err) {
          log?.error({ err, bucket: name, key: change.key }, 'a storage watcher threw');
        }
      };
      // Current entries are copied now, so a write made right after watch() resolves comes after them.
      const initial = options.initial ? sorted(prefix).map((entry): StoredChange => ({ op: 'put', key: entry.key, text: entry.text, revision: entry.revision })) : [];
      for (const change of initial) queueMicrotask(() => deliver(change));
      state.listeners.add(deliver);
      return {
        async stop() {
          state.listeners.delete(deliver);
        },
      };
    },
  };
}
