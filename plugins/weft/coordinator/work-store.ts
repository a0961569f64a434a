// Work records in KV (weft-<p>-work): create, read, compare-and-set updates and filtered listing.
import { isLoomError, LoomError, type KvBucket } from '../../../core/index.js';
import type { WorkRecord, WorkState } from '../schemas/work.js';
import { forgetWrite, lastWritten, noteWrite } from './record-cache.js';

export interface WorkFilter {
  state?: WorkState;
  capability?: string;
  agentId?: string;
}

/**
 * Read-modify-write with compare-and-set; `change` returns undefined to leave the record as it is. It starts from
 * weft's own last write of the key when it has one (record-cache.ts): a wrong guess costs a failed compare-and-set,
 * and "nothing to change" judged on a guess is checked against a fresh read before it is believed.
 */
export async function updateRecord<T>(bucket: KvBucket, key: string, change: (current: T | undefined) => T | undefined): Promise<{ value: T | undefined; changed: boolean }> {
  let guess = lastWritten<T>(bucket, key);
  for (let round = 0; ; round++) {
    const guessed = guess !== undefined;
    const entry = guess ?? (await bucket.get<T>(key));
    guess = undefined;
    const next = change(entry?.value);
    if (next === undefined) {
      if (guessed) continue;
      return { value: entry?.value, changed: false };
    }
    let revision: number;
    try {
      revision = entry ? await bucket.update(key, next, entry.revision) : await bucket.create(key, next);
    } catch (err) {
      forgetWrite(bucket, key);
      if (!isLoomError(err, 'LOOM_ERR_CONFLICT') || round >= 20) throw err;
      continue;
    }
    noteWrite(bucket, key, next, revision);
    return { value: next, changed: true };
  }
}

/** Creates a record (LOOM_ERR_CONFLICT if the key exists) and remembers the write for the next update. */
export async function createRecord(bucket: KvBucket, key: string, value: unknown): Promise<void> {
  noteWrite(bucket, key, value, await bucket.create(key, value));
}

export async function getRecord(bucket: KvBucket, projectId: string, workId: string): Promise<WorkRecord> {
  const entry = await bucket.get<WorkRecord>(workId);
  if (!entry) throw new LoomError('LOOM_ERR_NOT_FOUND', `no work item "${workId}" in project ${projectId}`, { workId, projectId });
  return entry.value;
}

/** Newest first; the cursor is an offset into the filtered list. */
export async function listRecords(bucket: KvBucket, filter: WorkFilter, limit: number, cursor?: string): Promise<{ items: WorkRecord[]; nextCursor?: string }> {
  const all = (await bucket.list<WorkRecord>()).map((entry) => entry.value);
  const matching = all
    .filter((record) => (!filter.state || record.state === filter.state) && (!filter.capability || record.capability === filter.capability) && (!filter.agentId || record.agentId === filter.agentId))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.workId.localeCompare(b.workId));
  const start = cursor ? Number(cursor) : 0;
  const items = matching.slice(start, start + limit);
  const next = start + limit;
  return next < matching.length ? { items, nextCursor: String(next) } : { items };
}

export function countByState(records: ReadonlyArray<WorkRecord>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const record of records) counts[record.state] = (counts[record.state] ?? 0) + 1;
  return counts;
}
