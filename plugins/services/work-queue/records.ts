// Per work id, in KV: the error history across attempts (a nak cannot change the message) and the completion record.
import { isLoomError, LoomError, type KvBucket, type Names, type StorageService, type WorkCompletion, type WorkError, type WorkHistory } from '../../../core/index.js';

/** Who claimed a work id, on which attempt, and the ack subject of that delivery (once known). */
export interface Holder {
  agentId: string;
  attempt: number;
  reply?: string;
}

export const LEASE_EXPIRED = 'lease expired without an outcome (the claimer died or stopped reporting progress)';

export interface WorkRecords {
  /**
   * The first claim of a work id in one write: creates its history, and returns false (writing nothing) when any
   * record of the id exists already — a claim, or a cancellation — so only then must the caller look further.
   */
  startFresh(names: Names, workId: string, holder: Holder): Promise<boolean>;
  /** Makes sure a work id has a history record, so a fresh delivery of it takes the careful path (cancel). */
  markSettled(names: Names, workId: string): Promise<void>;
  /** Notes a claim; on a redelivery, first records the previous holder's expired lease. Returns the error history. */
  recordClaim(names: Names, workId: string, holder: Holder, fresh: boolean): Promise<WorkError[]>;
  /** Adds the ack subject to a claim recorded before its delivery arrived; nothing when another claim replaced it. */
  recordReply(names: Names, workId: string, holder: Required<Holder>): Promise<void>;
  /** The latest claim of a work id, if any. */
  holder(names: Names, workId: string): Promise<WorkHistory['holder'] | undefined>;
  /** Records the expired lease of the current holder (if any) and returns the error history. */
  expireHolder(names: Names, workId: string): Promise<WorkError[]>;
  appendError(names: Names, workId: string, error: WorkError): Promise<WorkError[]>;
  /** Writes the completion once; a second one is LOOM_ERR_CONFLICT naming who completed it. */
  complete(names: Names, completion: WorkCompletion): Promise<void>;
  completion(names: Names, workId: string): Promise<WorkCompletion | null>;
}

/** Adds the holder's expired lease to the errors, unless that attempt has an outcome or is still the current one. */
function withExpiredHolder(history: WorkHistory, currentAttempt = Number.POSITIVE_INFINITY): WorkHistory {
  const { holder } = history;
  if (!holder || holder.attempt >= currentAttempt || history.errors.some((error) => error.attempt === holder.attempt)) return history;
  return { ...history, errors: [...history.errors, { at: new Date().toISOString(), agentId: holder.agentId, error: LEASE_EXPIRED, attempt: holder.attempt }] };
}

/** The refusal of a second completion, saying who settled the item first. */
export function alreadySettled(workId: string, existing: WorkCompletion | undefined | null): LoomError {
  if (existing?.cancelled) return new LoomError('LOOM_ERR_CONFLICT', `work ${workId} was cancelled at ${existing.completedAt}; it cannot be completed`, { workId, cancelled: true });
  const by = existing ? ` by agent ${existing.agentId} at ${existing.completedAt}` : '';
  return new LoomError('LOOM_ERR_CONFLICT', `work ${workId} was already completed${by}; a work item completes exactly once`, { workId });
}

export function createWorkRecords(storage: StorageService, ttlMs: number): WorkRecords {
  const buckets = new Map<string, Promise<KvBucket>>();
  const open = (name: string) => {
    let bucket = buckets.get(name);
    if (!bucket) {
      bucket = storage.openBucket({ name, ttlMs });
      buckets.set(name, bucket);
      bucket.catch(() => buckets.delete(name));
    }
    return bucket;
  };

  /** Read-modify-write with compare-and-set, retried when another process wrote in between. */
  async function change(names: Names, workId: string, fn: (history: WorkHistory) => WorkHistory): Promise<WorkHistory> {
    const bucket = await open(names.workHistoryBucket);
    for (let round = 0; ; round++) {
      const entry = await bucket.get<WorkHistory>(workId);
      const next = fn(entry?.value ?? { errors: [] });
      try {
        if (entry) await bucket.update(workId, next, entry.revision);
        else await bucket.create(workId, next);
        return next;
      } catch (err) {
        if (!isLoomError(err, 'LOOM_ERR_CONFLICT') || round >= 10) throw err;
      }
    }
  }

  return {
    async startFresh(names, workId, holder) {
      try {
        await (await open(names.workHistoryBucket)).create(workId, { errors: [], holder: { ...holder, at: new Date().toISOString() } } satisfies WorkHistory);
        return true;
      } catch (err) {
        if (isLoomError(err, 'LOOM_ERR_CONFLICT')) return false;
        throw err;
      }
    },
    async markSettled(names, workId) {
      try {
        await (await open(names.workHistoryBucket)).create(workId, { errors: [] } satisfies WorkHistory);
      } catch (err) {
        if (!isLoomError(err, 'LOOM_ERR_CONFLICT')) throw err;
      }
    },
    async recordClaim(names, workId, holder, fresh) {
      const claim = { ...holder, at: new Date().toISOString() };
      if (fresh) {
        await (await open(names.workHistoryBucket)).put(workId, { errors: [], holder: claim } satisfies WorkHistory);
        return [];
      }
      return (await change(names, workId, (history) => ({ ...withExpiredHolder(history, holder.attempt), holder: claim }))).errors;
    },
    async recordReply(names, workId, holder) {
      const bucket = await open(names.workHistoryBucket);
      const entry = await bucket.get<WorkHistory>(workId);
      const current = entry?.value.holder;
      if (!entry || !current || current.agentId !== holder.agentId || current.attempt !== holder.attempt || current.reply) return;
      // A conflict means the record moved on (an outcome or the next claim): this delivery's subject no longer matters.
      await bucket.update(workId, { ...entry.value, holder: { ...current, reply: holder.reply } }, entry.revision).catch((err: unknown) => {
        if (!isLoomError(err, 'LOOM_ERR_CONFLICT')) throw err;
      });
    },
    async holder(names, workId) {
      return (await (await open(names.workHistoryBucket)).get<WorkHistory>(workId))?.value.holder;
    },
    async expireHolder(names, workId) {
      return (await change(names, workId, (history) => withExpiredHolder(history))).errors;
    },
    async appendError(names, workId, error) {
      return (await change(names, workId, (history) => ({ ...history, errors: [...history.errors, error] }))).errors;
    },
    async complete(names, completion) {
      const bucket = await open(names.completionsBucket);
      try {
        await bucket.create(completion.workId, completion);
      } catch (err) {
        if (!isLoomError(err, 'LOOM_ERR_CONFLICT')) throw err;
        const existing = (await bucket.get<WorkCompletion>(completion.workId))?.value;
        // The holder's own earlier write, whose answer timed out: the caller retried what had already landed.
        if (existing && !existing.cancelled && existing.agentId === completion.agentId && existing.attempt === completion.attempt) return;
        throw alreadySettled(completion.workId, existing);
      }
    },
    async completion(names, workId) {
      return (await (await open(names.completionsBucket)).get<WorkCompletion>(workId))?.value ?? null;
    },
  };
}
