// Work records in KV (weft-<p>-work): create, read, compare-and-set updates and filtered listing.
import { isLoomError, LoomError, type KvBucket } from '../../../core/index.js';
import type { WorkRecord, WorkState } from '../schemas/work.js';

export interface WorkFilter {
  state?: WorkState;
  capability?: string;
  agentId?: string;
}

/** Read-modify-write with compare-and-set; `change` returns undefined to leave the record as it is. */
export async function updateRecord<T>(bucket: KvBucket, key: string, change: (current: T | undefined) => T | undefined): Promise<{ value: T | undefined; changed: boolean }> {
  for (let round = 0; ; round++) {
    const entry = await bucket.get<T>(key);
    const next = change(entry?.value);
    if (next === undefined) return { value: entry?.value, changed: false };
    try {
      if (entry) await bucket.update(key, next, entry.revision);
      else await bucket.create(key, next);
      return { value: next, changed: true };
    } catch (err) {
      if (!isLoomError(err, 'LOOM_ERR_CONFLICT') || round >= 20) throw err;
    }
  }
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
