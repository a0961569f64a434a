// Runs tasks one chain per key (a work id) through the kernel's keyed lock, with at most `limit` queued or running
// in all: different keys at once, one key's tasks in order; a limit of 1 is strict order across keys.
import { createKeyedLock } from '../../../core/index.js';

export interface Lanes {
  /** Resolves once the task is queued (at once, or when fewer than the limit are queued or running). */
  run(key: string, task: () => Promise<void>): Promise<void>;
  /** Resolves when every queued task has finished. */
  drain(): Promise<void>;
}

export function createLanes(limit: number): Lanes {
  const withLock = createKeyedLock();
  const pending = new Set<Promise<void>>();
  return {
    async run(key, task) {
      while (pending.size >= limit) await Promise.race(pending);
      const done: Promise<void> = withLock(key, task)
        .catch(() => undefined)
        .finally(() => pending.delete(done));
      pending.add(done);
    },
    async drain() {
      while (pending.size) await Promise.all(pending);
    },
  };
}
