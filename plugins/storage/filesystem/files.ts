// The on-disk layout of a filesystem bucket: entry files named from keys, atomic rename writes, the revision counter.
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LoomError } from '../../../core/index.js';

/**
 * <dir>/<bucket>/revision      the per-bucket revision counter (written under the lock)
 * <dir>/<bucket>/lock          the O_EXCL lock file
 * <dir>/<bucket>/entries/*.json one file per key: a live entry or a delete tombstone
 * <dir>/<bucket>/tmp/          where writes are prepared before their atomic rename
 */
export interface BucketPaths {
  root: string;
  revision: string;
  lock: string;
  entries: string;
  tmp: string;
}

export function bucketPaths(dir: string, bucket: string): BucketPaths {
  const root = join(dir, bucket);
  return { root, revision: join(root, 'revision'), lock: join(root, 'lock'), entries: join(root, 'entries'), tmp: join(root, 'tmp') };
}

/** A stored file: the value is kept as parsed JSON; a delete leaves a tombstone so pollers see it. */
export interface StoredEntry {
  key: string;
  revision: number;
  updatedAt: number;
  deleted?: true;
  value?: unknown;
}

const HASHED = '%%';
const MAX_NAME = 200;

/**
 * Lowercase letters, digits, "_" and "-" stay; every other character becomes %xx (lowercase hex), so names never collide on
 * case-insensitive filesystems. Encoding is per character, so an encoded prefix is a prefix of the encoded key.
 * Names that would be too long become a hash (the key is inside the file, so nothing is lost).
 */
export function encodeName(text: string): string {
  return text.replace(/[^a-z0-9_-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function keyFileName(key: string): string {
  const encoded = encodeName(key);
  return `${encoded.length <= MAX_NAME ? encoded : HASHED + createHash('sha256').update(key).digest('hex')}.json`;
}

/** Whether a file in entries/ may hold a key with this prefix, judged from its name alone. */
export function mayHoldPrefix(fileName: string, encodedPrefix: string): boolean {
  return fileName.endsWith('.json') && (fileName.startsWith(HASHED) || fileName.startsWith(encodedPrefix));
}

export function serializeEntry(key: string, revision: number, updatedAt: number, valueText: string | undefined): string {
  const head = `{"key":${JSON.stringify(key)},"revision":${revision},"updatedAt":${updatedAt}`;
  return valueText === undefined ? `${head},"deleted":true}` : `${head},"value":${valueText}}`;
}

const isMissing = (err: unknown): boolean => (err as NodeJS.ErrnoException)?.code === 'ENOENT';

export async function readEntryFile(path: string): Promise<StoredEntry | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
  try {
    return JSON.parse(text) as StoredEntry;
  } catch (err) {
    throw new LoomError('LOOM_ERR_INTERNAL', `storage file ${path} is not valid JSON (edited by hand?): ${(err as Error).message}. Delete it to drop the entry.`, { path });
  }
}

/** Reads an entry by key; a hashed name is checked against the key inside. */
export async function readKeyEntry(paths: BucketPaths, key: string): Promise<StoredEntry | null> {
  const entry = await readEntryFile(join(paths.entries, keyFileName(key)));
  return entry && entry.key === key ? entry : null;
}

/** Every stored file (live and tombstones) whose key starts with prefix. */
export async function readAllEntries(paths: BucketPaths, prefix: string): Promise<StoredEntry[]> {
  let names: string[];
  try {
    names = await readdir(paths.entries);
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
  const encodedPrefix = encodeName(prefix);
  const wanted = names.filter((name) => mayHoldPrefix(name, encodedPrefix));
  const entries = await Promise.all(wanted.map((name) => readEntryFile(join(paths.entries, name))));
  return entries.filter((entry): entry is StoredEntry => entry !== null && entry.key.startsWith(prefix));
}

/** Readers see the old file or the new one, never half of one: write beside it, then rename over it. */
export async function atomicWrite(paths: BucketPaths, target: string, text: string): Promise<void> {
  const tmp = join(paths.tmp, `${process.pid}-${randomUUID()}`);
  await writeFile(tmp, text);
  try {
    await rename(tmp, target);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

export async function removeFile(path: string): Promise<void> {
  await unlink(path).catch((err: unknown) => {
    if (!isMissing(err)) throw err;
  });
}

/** The last revision handed out; if the counter file was lost, the highest revision on disk. */
export async function readCounter(paths: BucketPaths): Promise<number> {
  try {
    const value = Number((await readFile(paths.revision, 'utf8')).trim());
    if (Number.isSafeInteger(value) && value >= 0) return value;
  } catch (err) {
    if (!isMissing(err)) throw err;
  }
  const entries = await readAllEntries(paths, '');
  return entries.reduce((max, entry) => Math.max(max, entry.revision), 0);
}

export async function writeCounter(paths: BucketPaths, revision: number): Promise<void> {
  await atomicWrite(paths, paths.revision, String(revision));
}
