// The search index's page: the best `limit` accepted matches in MiniSearch's ranking, and the count of all of them.
import { describe, expect, it } from 'vitest';
import type { MemoryRecord } from '../../plugins/pattern/record.js';
import { createSearchIndex } from '../../plugins/pattern/search-index.js';

const memory = (content: string, tags: string[] = []): MemoryRecord =>
  ({ id: 'a1', agentId: 'a', principal: 'p', projectId: 'proj', scope: 'team', category: 'learnings', content, tags, priority: 2, createdAt: '2026-12-08T00:00:00.000Z', updatedAt: '2026-12-08T00:00:00.000Z' }) as MemoryRecord;

/** 60 equal memories (equal scores), 20 that say "lease" twice (better), 20 without it. */
function filled() {
  const index = createSearchIndex();
  for (let i = 0; i < 60; i++) index.add(`same/${i}`, memory('the lease of a claim runs out'));
  for (let i = 0; i < 20; i++) index.add(`strong/${i}`, memory('lease lease'));
  for (let i = 0; i < 20; i++) index.add(`other/${i}`, memory('heartbeat of an agent'));
  return index;
}

describe('search index', () => {
  it('returns the best matches first and counts every accepted one', () => {
    const page = filled().search('lease', () => true, 25);
    expect(page.total).toBe(80);
    expect(page.hits).toHaveLength(25);
    expect(page.hits.slice(0, 20).map((hit) => hit.ref)).toEqual(Array.from({ length: 20 }, (_, i) => `strong/${i}`));
    // Equal scores keep the order the memories were indexed in, as MiniSearch's own sort does.
    expect(page.hits.slice(20).map((hit) => hit.ref)).toEqual(['same/0', 'same/1', 'same/2', 'same/3', 'same/4']);
    const scores = page.hits.map((hit) => hit.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores[0]).toBeGreaterThan(scores[24]!);
  });

  it('a smaller page is the head of a larger one', () => {
    const index = filled();
    const large = index.search('lease', () => true, 100);
    expect(large.hits).toHaveLength(80);
    expect(index.search('lease', () => true, 7).hits).toEqual(large.hits.slice(0, 7));
  });

  it('filters before the page is cut, and counts only what it accepts', () => {
    const index = filled();
    const odd = (ref: string) => Number(ref.split('/')[1]) % 2 === 1;
    const page = index.search('lease', odd, 12);
    expect(page.total).toBe(40);
    expect(page.hits.map((hit) => hit.ref)).toEqual([...Array.from({ length: 10 }, (_, i) => `strong/${2 * i + 1}`), 'same/1', 'same/3']);
  });

  it('forgets a removed memory and sees one indexed just before the search', () => {
    const index = filled();
    index.remove('strong/0');
    index.add('late/0', memory('lease lease lease'));
    const page = index.search('lease', () => true, 2);
    expect(page.total).toBe(80);
    expect(page.hits.map((hit) => hit.ref)).toEqual(['late/0', 'strong/1']);
  });
});
