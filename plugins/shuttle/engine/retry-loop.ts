// A background loop: runs `pass` with backoff while it fails (NATS down), and at a slow pace while it succeeds.
import type { Logger } from '../../../core/index.js';

export interface RetryLoop {
  start(): void;
  /** Run again soon, from the shortest delay. */
  kick(): void;
  stop(): Promise<void>;
}

export function createRetryLoop(options: { minMs: number; maxMs: number; idleMs: number; log: Logger; pass(): Promise<boolean> }): RetryLoop {
  let timer: NodeJS.Timeout | undefined;
  let delay = options.minMs;
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;

  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void tick(), ms);
    timer.unref();
  };

  async function tick(): Promise<void> {
    if (stopped || running) return;
    running = (async () => {
      let ok = false;
      try {
        ok = await options.pass();
      } catch (err) {
        options.log.warn({ err }, 'shuttle background pass failed; retrying with backoff');
      }
      if (ok) {
        delay = options.minMs;
        schedule(again ? 0 : options.idleMs);
      } else {
        schedule(again ? 0 : delay);
        delay = Math.min(delay * 2, options.maxMs);
      }
      again = false;
    })();
    try {
      await running;
    } finally {
      running = undefined;
    }
  }

  return {
    start: () => schedule(0),
    kick() {
      delay = options.minMs;
      if (running) again = true;
      else schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
