// The embedded default: reuse a local server, else start the home's one managed `nats-server -js` child under a lock.
import { connect } from '@nats-io/transport-node';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { LoomError } from '../errors.js';
import type { Logger } from '../log.js';
import { breakStaleLock, isLive, newHolder, readLock, releaseLock, takeLock } from './home-lock.js';
import { readRecordedUrl, startManagedServer, type HomeFiles } from './managed-server.js';

export const DEFAULT_LOCAL_PORT = 4222;
export const DEFAULT_LOCAL_URL = `nats://127.0.0.1:${DEFAULT_LOCAL_PORT}`;

export function loominalHome(env: Readonly<Record<string, string | undefined>>): string {
  return env.LOOMINAL_HOME || join(homedir(), '.loominal');
}

export async function answers(url: string, timeoutMs = 1500): Promise<boolean> {
  try {
    const nc = await connect({ servers: url, timeout: timeoutMs, reconnect: false, maxReconnectAttempts: 0 });
    await nc.close();
    return true;
  } catch {
    return false;
  }
}

export interface EmbeddedNats {
  url: string;
  /** Set when this process started the server; stop() ends it. */
  managed?: { pid: number; storeDir: string; running(): boolean };
  /** Set when the server is this home's managed one (whoever started it): where to start it again should it stop. */
  follows?: { port: number; storeDir: string };
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  env: Readonly<Record<string, string | undefined>>;
  storeDir?: string;
  port?: number;
  log: Logger;
  /** Only this port will do (a connection waits on its URL): no other recorded server, no free-port fallback. */
  exactPort?: boolean;
  /** How long to wait for the server of a live lock holder to answer (default 15 s). */
  lockWaitMs?: number;
  /** Ends the wait for another holder's server (a process shutting down). */
  signal?: AbortSignal;
}

function homeFiles(home: string): HomeFiles {
  return { home, urlFile: join(home, 'nats.url'), lockFile: join(home, 'nats.lock') };
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** Finds or starts the local NATS server. At most one process per home starts one (the lock holder); the others wait
 *  for it to answer, on the preferred port or at the URL recorded in the url file. */
export async function resolveEmbeddedNats(options: EmbeddedOptions): Promise<EmbeddedNats> {
  const files = homeFiles(loominalHome(options.env));
  const port = options.port || DEFAULT_LOCAL_PORT;
  const preferred = `nats://127.0.0.1:${port}`;
  const storeDir = options.storeDir ?? join(files.home, 'nats');
  mkdirSync(files.home, { recursive: true });
  const running = async (): Promise<string | undefined> => {
    if (await answers(preferred)) return preferred;
    if (options.exactPort) return undefined;
    const recorded = readRecordedUrl(files.urlFile);
    return recorded && recorded !== preferred && (await answers(recorded)) ? recorded : undefined;
  };
  const deadline = Date.now() + (options.lockWaitMs ?? 15_000);
  let waitLogged = false;
  for (;;) {
    options.signal?.throwIfAborted();
    const found = await running();
    if (found) return reuse(found, files);
    const holder = newHolder(storeDir, preferred);
    if (takeLock(files.lockFile, holder)) {
      try {
        // Looked for before the lock: a server may have come up since (another home's, or a user's).
        const late = await running();
        const managed = late ? undefined : await startManagedServer({ files, holder, port, anyPortFallback: !options.exactPort, answersOnPort: () => answers(preferred), log: options.log });
        if (!managed) {
          releaseLock(files.lockFile, holder);
          return reuse(late ?? preferred, files);
        }
        return { url: managed.url, managed, follows: { port: portOf(managed.url), storeDir }, stop: () => managed.stop() };
      } catch (err) {
        releaseLock(files.lockFile, holder);
        throw err;
      }
    }
    const owner = readLock(files.lockFile);
    if (!owner || !isLive(owner)) {
      if (!breakStaleLock(files.lockFile)) await delay(20);
      continue;
    }
    if (Date.now() > deadline) {
      throw new LoomError('LOOM_ERR_NATS_SERVER_START', `process ${owner.pid} (on ${owner.host}) holds ${files.lockFile} but its nats-server does not answer on ${owner.url} after ${options.lockWaitMs ?? 15_000} ms. If no loom process uses this home, delete that file.`, { lockFile: files.lockFile, pid: owner.pid, url: owner.url });
    }
    if (!waitLogged) options.log.info({ pid: owner.pid, url: owner.url }, 'waiting for the nats-server of the loom process that holds the lock');
    waitLogged = true;
    // A process shutting down stops waiting at once, not after the next tick.
    await delay(100, undefined, options.signal ? { signal: options.signal } : undefined).catch(() => options.signal?.throwIfAborted());
  }
}

/** A server some other process runs. If the home's lock names its URL, it is the home's managed one, to be restarted
 *  on the same port and store should its owner stop it. */
function reuse(url: string, files: HomeFiles): EmbeddedNats {
  const owner = readLock(files.lockFile);
  const follows = owner && owner.url === url && isLive(owner) ? { port: portOf(url), storeDir: owner.storeDir } : undefined;
  return { url, ...(follows ? { follows } : {}), stop: async () => {} };
}
