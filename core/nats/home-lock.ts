// The one-owner lock of a LOOMINAL_HOME's managed nats-server: nats-server does not lock its store, so loom does.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { LoomError } from '../errors.js';
import { isProcessAlive, procStat } from '../process/alive.js';
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
  /** Linux: the kernel's boot id and each process's start time, so that a pid reused after a crash, a reboot or a
   *  container restart is not taken for the holder. */
  boot?: string;
  started?: string;
  serverStarted?: string;
}

const HOST = hostname();
const BOOT = readOr('/proc/sys/kernel/random/boot_id')?.trim();
/** The tokens of the locks this process took, kept per process rather than per module copy (a loom.config.ts loaded
 *  through jiti may bring its own copy of core): a lock naming this pid with another token is a previous process's. */
const ownTokens: Set<string> = ((globalThis as Record<symbol, unknown>)[Symbol.for('loominal.home-lock.tokens')] ??= new Set<string>()) as Set<string>;

function readOr(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export function startTimeOf(pid: number): string | undefined {
  return procStat(pid)?.startTime;
}
/** Breaking a stale lock takes microseconds; a break marker this old was left by a process that died meanwhile. */
const BREAK_STALE_MS = 5_000;

export function newHolder(storeDir: string, url: string): LockHolder {
  const started = startTimeOf(process.pid);
  return { pid: process.pid, host: HOST, token: randomUUID(), storeDir, url, ...(BOOT ? { boot: BOOT } : {}), ...(started ? { started } : {}) };
}

/** The holder once its server runs. */
export function withServer(holder: LockHolder, url: string, server: number): LockHolder {
  const serverStarted = startTimeOf(server);
  return { ...holder, url, server, ...(serverStarted ? { serverStarted } : {}) };
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

/** A server recorded before start times were (an older loom): its pid must at least run a nats-server. */
function runsNatsServer(pid: number): boolean {
  const cmdline = readOr(`/proc/${pid}/cmdline`);
  return cmdline === undefined || cmdline.includes('nats-server');
}

/** Live while its owner runs, or its server does (an owner killed with SIGKILL leaves the server on the store).
 *  A holder on another host sharing this home cannot be checked, so it counts as live; nothing recorded before the
 *  last reboot runs now. */
export function isLive(holder: LockHolder): boolean {
  if (holder.host !== HOST) return true;
  if (holder.boot && BOOT && holder.boot !== BOOT) return false;
  const ownerLive = holder.pid === process.pid ? ownTokens.has(holder.token) : isProcessAlive(holder.pid, holder.started);
  const serverLive = isProcessAlive(holder.server, holder.serverStarted) && (holder.serverStarted !== undefined || runsNatsServer(holder.server!));
  return ownerLive || serverLive;
}

function writeAside(file: string, holder: LockHolder): string {
  const aside = `${file}.${process.pid}-${randomUUID()}`;
  writeFileSync(aside, JSON.stringify(holder));
  return aside;
}

/** Takes the lock if nobody holds it. A link of a complete file is atomic, so no reader ever sees a half-written lock. */
export function takeLock(file: string, holder: LockHolder): boolean {
  let aside: string | undefined;
  try {
    aside = writeAside(file, holder);
    linkSync(aside, file);
    ownTokens.add(holder.token);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    throw new LoomError('LOOM_ERR_NATS_SERVER_START', `cannot take ${file} (${code ?? String(err)}): the lock of the managed nats-server is a hard link of a file written beside it, so LOOMINAL_HOME must be a writable directory on a filesystem that has hard links (not vfat or some network shares). Point LOOMINAL_HOME elsewhere, or set NATS_URL to a running server.`, { lockFile: file }, { cause: err });
  } finally {
    if (aside) rmSync(aside, { force: true });
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
  ownTokens.delete(holder.token);
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
