// smallestKeys: the k smallest positions, smallest first, equal keys by position: the same as a full stable sort.
import { describe, expect, it } from 'vitest';
import { smallestKeys } from '../../core/smallest-keys.js';

const bySort = (keys: number[], k: number) =>
  keys
    .map((key, i) => ({ key, i }))
    .sort((a, b) => a.key - b.key || a.i - b.i)
    .slice(0, Math.max(0, k))
    .map((e) => e.i);

describe('smallestKeys', () => {
  it('agrees with a full sort for every k, with many equal keys', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const n of [1, 2, 3, 10, 257]) {
      const keys = Array.from({ length: n }, () => Math.floor(random() * (n / 3 + 1)));
      for (const k of [0, 1, 2, 5, n - 1, n, n + 5]) expect(smallestKeys(keys, k), `n=${n} k=${k}`).toEqual(bySort(keys, k));
    }
  });

  it('handles no keys and a non-positive k', () => {
    expect(smallestKeys([], 3)).toEqual([]);
    expect(smallestKeys([3, 1], -1)).toEqual([]);
  });
});
