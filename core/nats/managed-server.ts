// Starts the managed nats-server for the holder of the home's lock, and gives the lock and the url file back on stop.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { LoomError } from '../errors.js';
import type { Logger } from '../log.js';
import { spawnNatsProcess, waitForExit } from '../testing/nats-server.js';
import { holdsLock, releaseLock, rewriteLock, withServer, type LockHolder } from './home-lock.js';

export interface HomeFiles {
  home: string;
  /** Where a managed server on another port than the preferred one can be found. */
  urlFile: string;
  lockFile: string;
}

export interface ManagedServer {
  url: string;
  pid: number;
  storeDir: string;
  /** False once the child has exited, stopped or not. */
  running(): boolean;
  stop(): Promise<void>;
}

export interface ManagedStart {
  files: HomeFiles;
  holder: LockHolder;
  port: number;
  /** When the port is taken by something that is not NATS, listen on any free port (the url file tells the others).
   *  Off when a connection waits on that exact URL. */
  anyPortFallback: boolean;
  /** Asked after the port turned out to be taken: a NATS server that answers there now is used instead. */
  answersOnPort: () => Promise<boolean>;
  log: Logger;
}

export function readRecordedUrl(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function startError(err: unknown): LoomError {
  if (err instanceof LoomError) return err;
  return new LoomError('LOOM_ERR_NATS_SERVER_START', `the managed nats-server did not start: ${err instanceof Error ? err.message : String(err)}`);
}

/** Undefined when another NATS server took the port meanwhile: the caller uses that one. The lock must be held. */
export async function startManagedServer(start: ManagedStart): Promise<ManagedServer | undefined> {
  const { files, holder, log } = start;
  mkdirSync(holder.storeDir, { recursive: true });
  const base = ['-js', '-a', '127.0.0.1', '-sd', holder.storeDir];
  let started: { child: ChildProcess; port: number };
  try {
    started = await spawnNatsProcess([...base, '-p', String(start.port)]);
  } catch (err) {
    if (err instanceof LoomError || !start.anyPortFallback) throw startError(err);
    // Another home's managed server, or one a user started, may have taken the port since we looked.
    if (await start.answersOnPort()) return undefined;
    try {
      started = await spawnNatsProcess([...base, '-p', '-1']);
    } catch (second) {
      throw startError(second);
    }
  }
  const { child } = started;
  const url = `nats://127.0.0.1:${started.port}`;
  // The lock first: a process that finds the url file (or the port) answering reads the lock to learn whose it is.
  rewriteLock(files.lockFile, withServer(holder, url, child.pid ?? -1));
  writeFileSync(files.urlFile, `${url}\n`);
  log.info({ url, storeDir: holder.storeDir, pid: child.pid }, 'started managed nats-server');

  let stopping = false;
  const giveBack = () => {
    if (!holdsLock(files.lockFile, holder)) return;
    if (readRecordedUrl(files.urlFile) === url) rmSync(files.urlFile, { force: true });
    releaseLock(files.lockFile, holder);
  };
  child.once('exit', (code, signal) => {
    if (stopping) return;
    // A server that died under a live owner must not keep the lock: another process (or this one) restarts it.
    log.warn({ url, pid: child.pid, code, signal }, 'managed nats-server exited');
    giveBack();
  });
  return {
    url,
    pid: child.pid ?? -1,
    storeDir: holder.storeDir,
    running: () => child.exitCode === null && child.signalCode === null,
    async stop() {
      stopping = true;
      child.kill('SIGTERM');
      await waitForExit(child);
      // Only after the exit: until then the store is in use, and the lock says so.
      giveBack();
    },
  };
}
