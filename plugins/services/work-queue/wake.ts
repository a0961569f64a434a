// Wakes a waiting claimer when an offer is published on one of its subjects, or after a poll interval (redeliveries).
import type { NatsConnection, Subscription } from '@nats-io/transport-node';

export interface Wake {
  /** Marks everything seen so far; call before each pass over the queues. */
  mark(): void;
  /** Resolves at once if something arrived since mark(), else on the next arrival, after ms, or on abort. */
  wait(ms: number, signal?: AbortSignal): Promise<void>;
  stop(): void;
}

export function createWake(nc: NatsConnection, subjects: readonly string[]): Wake {
  let arrivals = 0;
  let seen = 0;
  let notify: (() => void) | undefined;
  const subs: Subscription[] = subjects.map((subject) =>
    nc.subscribe(subject, {
      callback: () => {
        arrivals++;
        notify?.();
      },
    }),
  );
  return {
    mark() {
      seen = arrivals;
    },
    wait(ms, signal) {
      if (arrivals !== seen || signal?.aborted) return Promise.resolve();
      return new Promise((resolve) => {
        const finish = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', finish);
          notify = undefined;
          resolve();
        };
        const timer = setTimeout(finish, ms);
        signal?.addEventListener('abort', finish, { once: true });
        notify = finish;
      });
    },
    stop() {
      for (const sub of subs) sub.unsubscribe();
    },
  };
}
