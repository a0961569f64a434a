// Runs tasks one chain per key (a work id): different keys at once up to a limit, one key's tasks in order.
export interface Lanes {
  /** Resolves once the task is queued (at once, or when fewer than the limit are running); the task runs after the
   *  previous one of its key. */
  run(key: string, task: () => Promise<void>): Promise<void>;
  drain(): Promise<void>;
}

/** One chain per work id, at most `limit` tasks queued or running in all; with a limit of 1, strictly one at a time. */
export function createLanes(limit: number): Lanes {
  const tails = new Map<string, Promise<void>>();
  let active = 0;
  let freed: (() => void) | undefined;
  return {
    async run(key, task) {
      while (active >= limit) await new Promise<void>((resolve) => (freed = resolve));
      active++;
      const tail = (tails.get(key) ?? Promise.resolve()).then(task).finally(() => {
        active--;
        if (tails.get(key) === tail) tails.delete(key);
        const wake = freed;
        freed = undefined;
        wake?.();
      });
      tails.set(key, tail);
    },
    async drain() {
      while (tails.size) await Promise.all([...tails.values()]);
    },
  };
}
