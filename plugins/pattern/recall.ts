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
  items: IndexedMemory[];
}

/** Merges lists that are each newest first into one newest-first list. */
function mergeNewestFirst(lists: IndexedMemory[][]): IndexedMemory[] {
  if (lists.length === 1) return lists[0]!;
  const out: IndexedMemory[] = [];
  const at = lists.map(() => 0);
  for (;;) {
    let best = -1;
    for (let i = 0; i < lists.length; i += 1) {
      const candidate = lists[i]![at[i]!];
      if (!candidate) continue;
      const current = best >= 0 ? lists[best]![at[best]!]! : undefined;
      if (!current || candidate.record.createdAt > current.record.createdAt || (candidate.record.createdAt === current.record.createdAt && candidate.record.id > current.record.id)) best = i;
    }
    if (best < 0) return out;
    out.push(lists[best]![at[best]!]!);
    at[best]! += 1;
  }
}

export function recallSections(index: MemoryIndex, filter: RecallFilter, accept: (item: IndexedMemory) => boolean): RecalledSection[] {
  const wantsTags = filter.tags && filter.tags.length > 0;
  const keep = (item: IndexedMemory) => accept(item) && (!wantsTags || filter.tags!.every((tag) => item.record.tags.includes(tag)));
  return RECALL_SECTIONS.map((section) => {
    const groups = section.groups.filter(({ scope, category }) => (!filter.scopes || filter.scopes.includes(scope)) && (!filter.categories || filter.categories.includes(category)));
    const items = mergeNewestFirst(groups.map(({ scope, category }) => index.group(scope, category).filter(keep)));
    return { section, items };
  });
}
