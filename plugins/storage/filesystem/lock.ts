// The per-bucket write lock: an in-process queue, then an O_EXCL lock file that other processes respect.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { isProcessAlive, LoomError } from '../../../core/index.js';

export interface BucketLock {
  /** Runs fn while holding the bucket's lock, across every process that writes this directory. */
  run<T>(fn: () => Promise<T>): Promise<T>;
}

export interface LockOptions {
  /** Give up waiting after this long (LOOM_ERR_TIMEOUT). */
  timeoutMs: number;
  /** A lock file older than this is taken over even if its holder looks alive (a hung or foreign-host holder). */
  staleMs: number;
}

const HOST = hostname();

/** A lock whose holder died on this host, or that is older than staleMs, is moved aside and removed. */
async function breakIfStale(path: string, staleMs: number): Promise<boolean> {
  let content: string;
  let age: number;
  try {
    [content, age] = await Promise.all([readFile(path, 'utf8'), stat(path).then((s) => Date.now() - s.mtimeMs)]);
  } catch {
    return true; // released while we looked: try again at once
  }
  const [pid, host] = content.split(' ');
  const deadHolder = host === HOST && Number(pid) > 0 && !isProcessAlive(Number(pid));
  if (!deadHolder && age < staleMs) return false;
  // Renaming first means two breakers cannot both delete a lock that a third process has just taken.
  const aside = `${path}.stale-${randomUUID()}`;
  try {
    await rename(path, aside);
    await unlink(aside);
  } catch {
    // another process broke it first
  }
  return true;
}

export function createBucketLock(path: string, options: LockOptions): BucketLock {
  let tail: Promise<unknown> = Promise.resolve();

  async function acquire(): Promise<string> {
    const token = `${process.pid} ${HOST} ${randomUUID()}`;
    const deadline = Date.now() + options.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await writeFile(path, token, { flag: 'wx' });
        return token;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      if (await breakIfStale(path, options.staleMs)) continue;
      if (Date.now() > deadline) {
        throw new LoomError('LOOM_ERR_TIMEOUT', `could not lock ${path} within ${options.timeoutMs} ms: another process holds it. If no loom process is running, delete the file.`, { path });
      }
      await delay(1 + Math.random() * Math.min(2 ** attempt, 20));
    }
  }

  async function release(token: string): Promise<void> {
    const content = await readFile(path, 'utf8').catch(() => undefined);
    if (content === token) await unlink(path).catch(() => undefined);
  }

  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      const result = tail.then(async () => {
        const token = await acquire();
        try {
          return await fn();
        } finally {
          await release(token);
        }
      });
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
