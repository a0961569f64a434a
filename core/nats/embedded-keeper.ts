// Keeps a connection's embedded server: when this home's managed server stops under it, one survivor starts it again.
import type { NatsConnection } from '@nats-io/transport-node';
import { setTimeout as delay } from 'node:timers/promises';
import { resolveEmbeddedNats, type EmbeddedNats, type EmbeddedOptions } from './embedded.js';

export interface EmbeddedKeeper {
  /** The server in use now: the one first resolved, or the one a recovery started or found. */
  current(): EmbeddedNats;
  /** Follows the connection's status; call once it is open. */
  watch(conn: NatsConnection): void;
  /** Ends recovery and stops a managed server this process runs. */
  stop(): Promise<void>;
}

const MAX_PAUSE_MS = 10_000;

export async function keepEmbeddedNats(options: EmbeddedOptions): Promise<EmbeddedKeeper> {
  let current = await resolveEmbeddedNats(options);
  let stopped = false;
  const stopping = new AbortController();
  let connected = true;
  let recovering: Promise<void> | undefined;

  const needless = (conn: NatsConnection) => stopped || connected || conn.isClosed() || conn.isDraining();

  // Same port and same store: nats.js reconnects to the URL it knows by itself, and the streams are still there.
  async function recover(conn: NatsConnection): Promise<void> {
    for (let attempt = 0; !needless(conn); attempt++) {
      const follows = current.follows;
      if (!follows) return;
      try {
        const next = await resolveEmbeddedNats({ ...options, port: follows.port, storeDir: follows.storeDir, exactPort: true, signal: stopping.signal });
        if (stopped) {
          await next.stop();
          return;
        }
        const previous = current;
        current = next;
        await previous.stop();
        if (next.managed) options.log.info({ url: next.url, pid: next.managed.pid }, 'restarted the managed nats-server after it stopped');
        return;
      } catch (err) {
        if (stopped) return;
        options.log.warn({ err, url: `nats://127.0.0.1:${follows.port}` }, 'could not restart the managed nats-server; trying again');
        await delay(Math.min(500 * 2 ** attempt, MAX_PAUSE_MS), undefined, { signal: stopping.signal }).catch(() => undefined);
      }
    }
  }

  async function follow(conn: NatsConnection): Promise<void> {
    for await (const status of conn.status()) {
      if (status.type === 'reconnect') connected = true;
      if (status.type !== 'disconnect' && status.type !== 'reconnecting') continue;
      connected = false;
      // Each reconnect attempt looks again: our own child's exit may be seen only after the disconnect.
      if (recovering || !current.follows || current.managed?.running()) continue;
      recovering = recover(conn).finally(() => (recovering = undefined));
    }
  }

  return {
    current: () => current,
    watch: (conn) => void follow(conn),
    async stop() {
      stopped = true;
      stopping.abort();
      await recovering;
      await current.stop();
    },
  };
}
