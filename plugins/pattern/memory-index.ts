// The in-process view of every memory this agent can see, fed by bucket watches and by its own writes.
import type { Scope } from '../../core/index.js';
import type { Category } from './categories.js';
import type { MemoryRecord } from './record.js';
import { createSearchIndex, type SearchIndex } from './search-index.js';

export interface IndexedMemory {
  /** `<scope>/<key>`: unique across the buckets this process reads. */
  ref: string;
  scope: Scope;
  key: string;
  revision: number;
  record: MemoryRecord;
  /** expiresAt in epoch milliseconds (Infinity when it never expires), parsed once for the per-read expiry check. */
  expiresMs: number;
}

export interface MemoryIndex {
  /**
   * Applies a put (record) or a delete (null) seen at `revision`. Older revisions than the one already seen for
   * the key are ignored, so a watch echo of our own write, or a list racing a watch, never undoes a newer state.
   */
  apply(scope: Scope, key: string, revision: number, record: MemoryRecord | null): void;
  /** Drops a memory this process deleted itself; the delete's own revision arrives later through the watch. */
  remove(ref: string): void;
  get(ref: string): IndexedMemory | undefined;
  /** Every indexed copy of a memory id (two for a moment while commit_insight moves it). */
  byId(id: string): IndexedMemory[];
  /** One scope/category, newest first. Callers must not mutate it. */
  group(scope: Scope, category: Category): ReadonlyArray<IndexedMemory>;
  all(): IterableIterator<IndexedMemory>;
  readonly size: number;
  readonly search: SearchIndex;
}

const MAX_TOMBSTONES = 50_000;

/** Newest first; ties broken by id so every process orders the same way. */
function newer(a: IndexedMemory, b: IndexedMemory): boolean {
  if (a.record.createdAt !== b.record.createdAt) return a.record.createdAt > b.record.createdAt;
  return a.record.id > b.record.id;
}

function insertSorted(list: IndexedMemory[], item: IndexedMemory): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (newer(list[mid]!, item)) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, item);
}

function removeSorted(list: IndexedMemory[], item: IndexedMemory): void {
  const at = list.indexOf(item);
  if (at >= 0) list.splice(at, 1);
}

export function createMemoryIndex(): MemoryIndex {
  const byRef = new Map<string, IndexedMemory>();
  const ids = new Map<string, Set<IndexedMemory>>();
  const groups = new Map<string, IndexedMemory[]>();
  const tombstones = new Map<string, number>();
  const search = createSearchIndex();
  const groupOf = (scope: Scope, category: string) => {
    const name = `${scope}:${category}`;
    let list = groups.get(name);
    if (!list) groups.set(name, (list = []));
    return list;
  };

  const drop = (existing: IndexedMemory) => {
    byRef.delete(existing.ref);
    const copies = ids.get(existing.record.id);
    copies?.delete(existing);
    if (copies?.size === 0) ids.delete(existing.record.id);
    removeSorted(groupOf(existing.scope, existing.record.category), existing);
    search.remove(existing.ref);
  };

  const bury = (ref: string, revision: number) => {
    tombstones.delete(ref);
    tombstones.set(ref, revision);
    if (tombstones.size > MAX_TOMBSTONES) tombstones.delete(tombstones.keys().next().value!);
  };

  return {
    apply(scope, key, revision, record) {
      const ref = `${scope}/${key}`;
      const existing = byRef.get(ref);
      const seen = existing?.revision ?? tombstones.get(ref) ?? 0;
      if (revision <= seen) return;
      if (existing) drop(existing);
      if (!record) {
        bury(ref, revision);
        return;
      }
      tombstones.delete(ref);
      const item: IndexedMemory = { ref, scope, key, revision, record, expiresMs: record.expiresAt === undefined ? Infinity : Date.parse(record.expiresAt) };
      byRef.set(ref, item);
      let copies = ids.get(record.id);
      if (!copies) ids.set(record.id, (copies = new Set()));
      copies.add(item);
      insertSorted(groupOf(scope, record.category), item);
      search.add(ref, record);
    },
    remove(ref) {
      const existing = byRef.get(ref);
      if (!existing) return;
      drop(existing);
      bury(ref, existing.revision);
    },
    get: (ref) => byRef.get(ref),
    byId: (id) => [...(ids.get(id) ?? [])],
    group: (scope, category) => groups.get(`${scope}:${category}`) ?? [],
    all: () => byRef.values(),
    get size() {
      return byRef.size;
    },
    search,
  };
}
