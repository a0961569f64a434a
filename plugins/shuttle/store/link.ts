// Whether NATS is usable right now, answered fast: a tool never hangs on a server that is down (degraded mode instead).
import type { NatsService } from '../../../core/index.js';

export interface LinkState {
  ok: boolean;
  /** Why NATS cannot be used (set when ok is false). */
  reason?: string;
}

export interface Link {
  /** Waits up to natsWaitMs for the first connection; afterwards answers at once. */
  check(): Promise<LinkState>;
  connected(): boolean;
  /** Starts a connection attempt if none is open or under way (the retry loop calls this with backoff). */
  kick(): void;
}

export function createLink(nats: NatsService, options: { natsWaitMs: number }): Link {
  let attempt: Promise<void> | undefined;
  let everConnected = false;
  let lastError: string | undefined;

  const kick = (): Promise<void> => {
    attempt ??= nats
      .connection()
      .then(
        () => {
          everConnected = true;
          lastError = undefined;
        },
        (err: unknown) => {
          lastError = err instanceof Error ? err.message : String(err);
        },
      )
      .finally(() => (attempt = undefined));
    return attempt;
  };

  const connected = () => nats.isConnected();

  return {
    connected,
    kick: () => void kick(),
    async check() {
      if (connected()) return { ok: true };
      if (!everConnected) {
        const pending = kick();
        // Only the very first attempt is waited for; once it failed, answer from the filesystem at once.
        if (lastError === undefined) {
          let timer: NodeJS.Timeout | undefined;
          await Promise.race([pending, new Promise((resolve) => (timer = setTimeout(resolve, options.natsWaitMs)))]);
          clearTimeout(timer);
        }
        if (connected()) return { ok: true };
        return { ok: false, reason: lastError ?? `NATS did not answer within ${options.natsWaitMs} ms` };
      }
      return { ok: false, reason: `the connection to NATS${nats.url() ? ` at ${nats.url()!.replace(/\/\/[^@/]+@/, '//***@')}` : ''} is lost; reconnecting in the background` };
    },
  };
}
