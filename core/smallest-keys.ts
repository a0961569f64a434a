// The positions of the k smallest keys, smallest first: a page of best matches without sorting every match.

/**
 * Sorting 1,000 matches to return 20 cost more than the index lookup itself; a max-heap of the k best so far
 * touches each key once and sorts only what it returns. Equal keys come out in ascending position.
 */
export function smallestKeys(keys: ArrayLike<number>, k: number): number[] {
  const n = keys.length;
  if (k <= 0 || n === 0) return [];
  const before = (a: number, b: number) => keys[a]! < keys[b]! || (keys[a] === keys[b] && a < b);
  if (k >= n) return Array.from({ length: n }, (_, i) => i).sort((a, b) => (before(a, b) ? -1 : 1));

  // heap[0] is the worst of the k kept so far: a candidate better than it replaces it.
  const heap = Array.from({ length: k }, (_, i) => i);
  const siftDown = (from: number) => {
    let at = from;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= k) return;
      const right = left + 1;
      const worse = right < k && before(heap[left]!, heap[right]!) ? right : left;
      if (!before(heap[at]!, heap[worse]!)) return;
      [heap[at], heap[worse]] = [heap[worse]!, heap[at]!];
      at = worse;
    }
  };
  for (let i = (k >> 1) - 1; i >= 0; i--) siftDown(i);
  for (let i = k; i < n; i++) {
    if (!before(i, heap[0]!)) continue;
    heap[0] = i;
    siftDown(0);
  }
  return heap.sort((a, b) => (before(a, b) ? -1 : 1));
}
