// The full-text index behind search_memories: MiniSearch over content, tags and source, kept in step by the memory index.
import MiniSearch from 'minisearch';
import { smallestKeys } from '../../core/index.js';
import type { MemoryRecord } from './record.js';

export interface SearchHit {
  ref: string;
  score: number;
}

export interface SearchPage {
  /** The best `limit` accepted matches, best first (equal scores in MiniSearch's order). */
  hits: SearchHit[];
  /** Every accepted match. */
  total: number;
}

export interface SearchIndex {
  add(ref: string, record: MemoryRecord): void;
  remove(ref: string): void;
  /** `accept` filters by ref before ranking is cut to `limit`. */
  search(query: string, accept: (ref: string) => boolean, limit: number): SearchPage;
}

interface Doc {
  ref: string;
  content: string;
  tags: string;
  source: string;
}

/** Documents indexed per turn of the event loop while catching up, so tool calls are never blocked for long. */
const CHUNK = 250;

/**
 * Tokenizing is the expensive part of loading thousands of memories, so changes queue up and are indexed in small
 * chunks in the background; a search first indexes whatever is still queued, so it never misses a memory.
 */
export function createSearchIndex(): SearchIndex {
  const mini = new MiniSearch<Doc>({
    idField: 'ref',
    fields: ['content', 'tags', 'source'],
    searchOptions: { boost: { tags: 2, content: 1, source: 0.5 }, prefix: true, fuzzy: 0.15 },
  });
  const docs = new Set<string>();
  const queued = new Map<string, MemoryRecord | null>();
  let scheduled = false;

  const flush = (max: number) => {
    let done = 0;
    for (const [ref, record] of queued) {
      if (done++ >= max) break;
      queued.delete(ref);
      if (docs.delete(ref)) mini.discard(ref);
      if (!record) continue;
      mini.add({ ref, content: record.content, tags: record.tags.join(' '), source: record.source ?? '' });
      docs.add(ref);
    }
  };
  const drain = () => {
    scheduled = false;
    flush(CHUNK);
    if (queued.size > 0) schedule();
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(drain);
  };
  const enqueue = (ref: string, record: MemoryRecord | null) => {
    queued.delete(ref);
    queued.set(ref, record);
    schedule();
  };

  return {
    add: (ref, record) => enqueue(ref, record),
    remove: (ref) => enqueue(ref, null),
    search(query, accept, limit) {
      flush(Infinity);
      // A common word matches most memories: MiniSearch would keep and sort every match to return ten. The filter
      // sees each match once, in MiniSearch's order, with its final score; keeping nothing spares the sort.
      const refs: string[] = [];
      const negated: number[] = [];
      mini.search(query, {
        filter: (result) => {
          const ref = result.id as string;
          if (accept(ref)) {
            refs.push(ref);
            negated.push(-result.score);
          }
          return false;
        },
      });
      const hits = smallestKeys(negated, limit).map((at) => ({ ref: refs[at]!, score: -negated[at]! }));
      return { hits, total: refs.length };
    },
  };
}
