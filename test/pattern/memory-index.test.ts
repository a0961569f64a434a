// Unit tests of the watch-fed index: revisions decide, so echoes and list/watch races never undo newer state.
import { describe, expect, it } from 'vitest';
import { createMemoryIndex } from '../../plugins/pattern/memory-index.js';
import type { MemoryRecord } from '../../plugins/pattern/record.js';

function record(id: string, createdAt: string, content = 'text', category: MemoryRecord['category'] = 'learnings'): MemoryRecord {
  return { id, agentId: 'a'.repeat(32), principal: 'p@h', projectId: 'p', scope: 'team', category, content, tags: [], priority: 2, createdAt, updatedAt: createdAt };
}

describe('memory index', () => {
  it('ignores an older revision of a key it has already seen, including after a delete', () => {
    const index = createMemoryIndex();
    index.apply('team', 'learnings.01', 5, record('01', '2026-01-01T00:00:00.000Z', 'new'));
    index.apply('team', 'learnings.01', 3, record('01', '2026-01-01T00:00:00.000Z', 'old'));
    expect(index.get('team/learnings.01')?.record.content).toBe('new');
    index.apply('team', 'learnings.01', 6, null);
    index.apply('team', 'learnings.01', 5, record('01', '2026-01-01T00:00:00.000Z', 'echo'));
    expect(index.get('team/learnings.01')).toBeUndefined();
    index.apply('team', 'learnings.01', 7, record('01', '2026-01-01T00:00:00.000Z', 'again'));
    expect(index.get('team/learnings.01')?.record.content).toBe('again');
  });

  it('a memory removed locally does not come back when the watch echoes its earlier write', () => {
    const index = createMemoryIndex();
    index.apply('team', 'learnings.02', 9, record('02', '2026-01-01T00:00:00.000Z'));
    index.remove('team/learnings.02');
    index.apply('team', 'learnings.02', 9, record('02', '2026-01-01T00:00:00.000Z'));
    expect(index.size).toBe(0);
    expect(index.search.search('text', () => true, 10)).toEqual({ hits: [], total: 0 });
  });

  it('keeps each group newest first, whatever order memories arrive in', () => {
    const index = createMemoryIndex();
    const times = ['2026-01-03', '2026-01-01', '2026-01-05', '2026-01-02', '2026-01-04'];
    times.forEach((day, i) => index.apply('team', `learnings.0${i}`, i + 1, record(`0${i}`, `${day}T00:00:00.000Z`)));
    expect(index.group('team', 'learnings').map((item) => item.record.createdAt.slice(0, 10))).toEqual(['2026-01-05', '2026-01-04', '2026-01-03', '2026-01-02', '2026-01-01']);
  });

  it('finds every copy of an id while a memory moves between keys, and the search follows the move', () => {
    const index = createMemoryIndex();
    index.apply('team', 'decisions.0a', 1, record('0a', '2026-01-01T00:00:00.000Z', 'kafka was rejected', 'decisions'));
    index.apply('team', 'learnings.0a', 2, record('0a', '2026-01-01T00:00:00.000Z', 'kafka was rejected'));
    expect(index.byId('0a')).toHaveLength(2);
    index.apply('team', 'decisions.0a', 3, null);
    expect(index.byId('0a').map((item) => item.key)).toEqual(['learnings.0a']);
    expect(index.search.search('kafka', () => true, 10).hits.map((hit) => hit.ref)).toEqual(['team/learnings.0a']);
  });
});
