// The one-owner lock of a LOOMINAL_HOME's managed nats-server: nats-server does not lock its store, so loom does.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { linkSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';

export interface LockHolder {
  /** The loom process that took the lock. */
  pid: number;
  host: string;
  /** Tells this holder's lock from a later one by the same pid. */
  token: string;
  storeDir: string;
  /** The URL the server listens (or is about to listen) on. */
  url: string;
  /** The nats-server child, once it runs: it keeps the lock alive should its owner die without stopping it. */
  server?: number;
}

const HOST = hostname();
/** Breaking a stale lock takes microseconds; a break marker this old was left by a process that died meanwhile. */
const BREAK_STALE_MS = 5_000;

export function newHolder(storeDir: string, url: string): LockHolder {
  return { pid: process.pid, host: HOST, token: randomUUID(), storeDir, url };
}

export function readLock(file: string): LockHolder | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && typeof value.token === 'string' && typeof value.url === 'string' && typeof value.storeDir === 'string') return value as LockHolder;
  } catch {
    // absent, or not ours to read
  }
  return undefined;
}

function isAlive(pid: number | undefined, command?: string): boolean {
  if (!pid || pid < 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !deadOrOtherOnLinux(pid, command);
}

/** Where /proc tells more: a zombie (an orphan whose init is slow to reap it, as in some containers) still passes
 *  kill(pid, 0), and a reused pid runs another program. */
function deadOrOtherOnLinux(pid: number, command?: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') return true;
    return command !== undefined && !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(command);
  } catch {
    return false;
  }
}

/** Live while its owner runs, or its server does (an owner killed with SIGKILL leaves the server on the store).
 *  A holder on another host sharing this home cannot be checked, so it counts as live. */
export function isLive(holder: LockHolder): boolean {
  return holder.host !== HOST || isAlive(holder.pid) || isAlive(holder.server, 'nats-server');
}

function writeAside(file: string, holder: LockHolder): string {
  const aside = `${file}.${process.pid}-${randomUUID()}`;
  writeFileSync(aside, JSON.stringify(holder));
  return aside;
}

/** Takes the lock if nobody holds it. A link of a complete file is atomic, so no reader ever sees a half-written lock. */
export function takeLock(file: string, holder: LockHolder): boolean {
  const aside = writeAside(file, holder);
  try {
    linkSync(aside, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    rmSync(aside, { force: true });
  }
}

/** The holder's own update (the actual URL, the server pid); nobody else writes a held lock. */
export function rewriteLock(file: string, holder: LockHolder): void {
  renameSync(writeAside(file, holder), file);
}

export function holdsLock(file: string, holder: LockHolder): boolean {
  return readLock(file)?.token === holder.token;
}

export function releaseLock(file: string, holder: LockHolder): void {
  if (holdsLock(file, holder)) rmSync(file, { force: true });
}

/** Removes the lock if its holder is gone; false while another process is at it. Breakers take turns through a
 *  marker file and look again once they hold it, so that one of them cannot delete a lock another process took
 *  after the stale one went. */
export function breakStaleLock(file: string): boolean {
  const marker = `${file}.break`;
  try {
    writeFileSync(marker, String(process.pid), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    if (ageMs(marker) > BREAK_STALE_MS) rmSync(marker, { force: true });
    return false;
  }
  try {
    const holder = readLock(file);
    if (!holder || !isLive(holder)) rmSync(file, { force: true });
    return true;
  } finally {
    rmSync(marker, { force: true });
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
