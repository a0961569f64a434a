// Reads the index in recall_context's priority order: sections of SPEC §6, newest first within each.
import type { Scope } from '../../core/index.js';
import { RECALL_SECTIONS, type Category, type RecallSection } from './categories.js';
import type { IndexedMemory, MemoryIndex } from './memory-index.js';

export interface RecallFilter {
  scopes?: ReadonlyArray<Scope> | undefined;
  categories?: ReadonlyArray<Category> | undefined;
  /** A memory matches when it has every one of these tags. */
  tags?: ReadonlyArray<string> | undefined;
}

export interface RecalledSection {
  section: RecallSection;
  /** Every memory of the section that matches. */
  count: number;
  /** The first of them, newest first: at most the `take` asked for. */
  items: IndexedMemory[];
}

const isNewer = (a: IndexedMemory, b: IndexedMemory) => a.record.createdAt > b.record.createdAt || (a.record.createdAt === b.record.createdAt && a.record.id > b.record.id);

/** The first `take` kept items of lists that are each newest first, merged newest first. */
function takeNewestFirst(lists: ReadonlyArray<ReadonlyArray<IndexedMemory>>, keep: (item: IndexedMemory) => boolean, take: number): IndexedMemory[] {
  const out: IndexedMemory[] = [];
  const at = lists.map(() => 0);
  const head = (i: number) => {
    const list = lists[i]!;
    while (at[i]! < list.length && !keep(list[at[i]!]!)) at[i]! += 1;
    return list[at[i]!];
  };
  while (out.length < take) {
    let best = -1;
    let bestItem: IndexedMemory | undefined;
    for (let i = 0; i < lists.length; i += 1) {
      const candidate = head(i);
      if (candidate && (!bestItem || isNewer(candidate, bestItem))) {
        best = i;
        bestItem = candidate;
      }
    }
    if (!bestItem) break;
    out.push(bestItem);
    at[best]! += 1;
  }
  return out;
}

/**
 * Sections in recall order with how many memories match in each, and the first `take` memories of the whole recall
 * order (the sections' newest, section after section). With 10,000 memories a recall counts them all but copies few.
 */
export function recallSections(index: MemoryIndex, filter: RecallFilter, accept: (item: IndexedMemory) => boolean, take = Number.POSITIVE_INFINITY): RecalledSection[] {
  const wantsTags = filter.tags && filter.tags.length > 0;
  const keep = (item: IndexedMemory) => accept(item) && (!wantsTags || filter.tags!.every((tag) => item.record.tags.includes(tag)));
  let budget = take;
  return RECALL_SECTIONS.map((section) => {
    const groups = section.groups.filter(({ scope, category }) => (!filter.scopes || filter.scopes.includes(scope)) && (!filter.categories || filter.categories.includes(category)));
    const lists = groups.map(({ scope, category }) => index.group(scope, category));
    let count = 0;
    for (const list of lists) for (const item of list) if (keep(item)) count += 1;
    const items = takeNewestFirst(lists, keep, Math.min(budget, count));
    budget -= items.length;
    return { section, count, items };
  });
}
