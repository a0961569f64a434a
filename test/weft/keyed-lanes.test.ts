// The chains behind a concurrent events follower: a limit of 1 is strict order across keys (what shuttle relies on),
// a larger limit runs different keys at once but never more than the limit, and one key's tasks never overlap.
import { describe, expect, it } from 'vitest';
import { createLanes } from '../../plugins/services/work-events/keyed-lanes.js';

/** Feeds tasks the way the follower does: each run awaited before the next is queued. */
async function feed(limit: number, keys: string[]): Promise<{ order: string[]; most: number; overlapped: string[] }> {
  const lanes = createLanes(limit);
  const order: string[] = [];
  const busy = new Set<string>();
  const overlapped: string[] = [];
  let running = 0;
  let most = 0;
  for (const [i, key] of keys.entries()) {
    await lanes.run(key, async () => {
      if (busy.has(key)) overlapped.push(`${key}#${i}`);
      busy.add(key);
      running++;
      most = Math.max(most, running);
      // Later tasks finish sooner: only the chains keep one key in order.
      await new Promise((resolve) => setTimeout(resolve, 20 - (i % 4) * 5));
      order.push(`${key}#${i}`);
      running--;
      busy.delete(key);
    });
  }
  await lanes.drain();
  return { order, most, overlapped };
}

describe('keyed lanes', () => {
  it('with a limit of 1 runs every task alone, in the order given', async () => {
    const keys = ['a', 'b', 'a', 'c', 'b', 'a'];
    const { order, most } = await feed(1, keys);
    expect(most).toBe(1);
    expect(order).toEqual(keys.map((key, i) => `${key}#${i}`));
  });

  it('with a larger limit runs different keys at once, at most the limit, and each key in order', async () => {
    const keys = Array.from({ length: 24 }, (_, i) => `k${i % 6}`);
    const { order, most, overlapped } = await feed(4, keys);
    expect(overlapped).toEqual([]);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
    for (const key of new Set(keys)) {
      const mine = order.filter((entry) => entry.startsWith(`${key}#`)).map((entry) => Number(entry.split('#')[1]));
      expect(mine).toEqual([...mine].sort((a, b) => a - b));
    }
    expect(order).toHaveLength(keys.length);
  });

  it('drain waits for every queued task', async () => {
    const lanes = createLanes(3);
    const done: number[] = [];
    for (let i = 0; i < 5; i++) await lanes.run(`k${i}`, () => new Promise<void>((resolve) => setTimeout(() => (done.push(i), resolve()), 10)));
    await lanes.drain();
    expect(done.sort()).toEqual([0, 1, 2, 3, 4]);
  });
});
