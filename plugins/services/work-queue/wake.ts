// Wakes a waiting claimer when an offer is published on one of its subjects, or after a poll interval (redeliveries).
import type { NatsConnection, Subscription } from '@nats-io/transport-node';

export interface Wake {
  /** Marks everything seen so far; call before each pass over the queues. */
  mark(): void;
  /** Resolves at once if something arrived since mark(), else on the next arrival, after ms, or on abort. */
  wait(ms: number, signal?: AbortSignal): Promise<void>;
  /** Nothing arrived since mark(): a wait that ended was the poll interval running out (or an abort). */
  quiet(): boolean;
  stop(): void;
}

export interface WakeHub {
  /** A wake for one claim, on these subjects. */
  watch(subjects: readonly string[]): Wake;
  /**
   * Offers seen on `subject` through the live subscription of `wildcard`, tagged with that subscription (a new one
   * starts counting again); undefined when nothing listens there right now.
   */
  arrivals(wildcard: string, subject: string): Arrivals | undefined;
  close(): void;
}

export interface Arrivals {
  subscription: number;
  count: number;
  /** The work and project id of the latest offer on the subject (from its headers), when it carried them. */
  last?: { workId: string; projectId: string };
}

interface Watched {
  sub: Subscription;
  id: number;
  listeners: Set<() => void>;
  counts: Map<string, number>;
  last: Map<string, { workId: string; projectId: string }>;
  idle?: NodeJS.Timeout;
}

/**
 * One subscription per subject for the whole process, shared by every claim waiting on it and kept a while after the
 * last one (lingerMs): a worker that claims in a loop then sends no SUB/UNSUB per claim.
 */
export function createWakeHub(nc: NatsConnection, lingerMs = 30_000): WakeHub {
  const watched = new Map<string, Watched>();
  let subscriptions = 0;

  const acquire = (subject: string, listener: () => void) => {
    let entry = watched.get(subject);
    if (!entry) {
      const listeners = new Set<() => void>();
      const counts = new Map<string, number>();
      const last = new Map<string, { workId: string; projectId: string }>();
      const sub = nc.subscribe(subject, {
        callback: (_err, msg) => {
          if (msg) {
            counts.set(msg.subject, (counts.get(msg.subject) ?? 0) + 1);
            const workId = msg.headers?.get('Loom-Work-Id');
            const projectId = msg.headers?.get('Loom-Project-Id');
            if (workId && projectId) last.set(msg.subject, { workId, projectId });
            else last.delete(msg.subject);
          }
          for (const notify of listeners) notify();
        },
      });
      watched.set(subject, (entry = { sub, id: ++subscriptions, listeners, counts, last }));
    }
    if (entry.idle) clearTimeout(entry.idle);
    entry.idle = undefined;
    entry.listeners.add(listener);
  };

  const release = (subject: string, listener: () => void) => {
    const entry = watched.get(subject);
    if (!entry) return;
    entry.listeners.delete(listener);
    if (entry.listeners.size > 0) return;
    entry.idle = setTimeout(() => {
      if (entry.listeners.size > 0) return;
      watched.delete(subject);
      entry.sub.unsubscribe();
    }, lingerMs);
    entry.idle.unref();
  };

  return {
    watch(subjects) {
      let arrivals = 0;
      let seen = 0;
      let notify: (() => void) | undefined;
      const listener = () => {
        arrivals++;
        notify?.();
      };
      for (const subject of subjects) acquire(subject, listener);
      return {
        mark() {
          seen = arrivals;
        },
        quiet: () => arrivals === seen,
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
          for (const subject of subjects) release(subject, listener);
        },
      };
    },
    arrivals(wildcard, subject) {
      const entry = watched.get(wildcard);
      if (!entry) return undefined;
      const last = entry.last.get(subject);
      return { subscription: entry.id, count: entry.counts.get(subject) ?? 0, ...(last ? { last } : {}) };
    },
    close() {
      for (const entry of watched.values()) {
        if (entry.idle) clearTimeout(entry.idle);
        entry.sub.unsubscribe();
      }
      watched.clear();
    },
  };
}
