// Committing an inbox read state when the answer can be lost: a write that timed out may still land.
import { isLoomError, type KvBucket, type KvEntry } from '../../../core/index.js';
import { readStateSchema, sameReadState, type ReadState } from './read-state.js';

/** How often a timed-out commit is settled again before the read gives up (a cluster elects a leader in seconds). */
const SETTLE_TRIES = 6;
const SETTLE_DELAY_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes `next` over `start`, the state the read started from (at `stored`'s revision, or not stored yet).
 * 'committed': the read may return its messages; 'raced': another write got there first, scan again. A timeout is
 * settled before anything is decided: reporting a write that did land as failed would mark read the messages the
 * caller never gets. The settling write rewrites `start` on the starting revision: once it lands, the timed-out write
 * can never land after it; if it conflicts, something landed, and the key says whether it was this read's state.
 */
export async function commitReadState(bucket: KvBucket, key: string, stored: KvEntry<unknown> | null, start: ReadState, next: ReadState): Promise<'committed' | 'raced'> {
  let timedOut: unknown;
  try {
    await write(bucket, key, stored, next);
    return 'committed';
  } catch (err) {
    if (isLoomError(err, 'LOOM_ERR_CONFLICT')) return 'raced';
    if (!isLoomError(err, 'LOOM_ERR_TIMEOUT')) throw err;
    timedOut = err;
  }
  for (let tries = 0; tries < SETTLE_TRIES; tries++) {
    try {
      await write(bucket, key, stored, start);
    } catch (err) {
      if (isLoomError(err, 'LOOM_ERR_CONFLICT')) return (await landed(bucket, key, next)) ? 'committed' : 'raced';
      if (!isLoomError(err, 'LOOM_ERR_TIMEOUT')) throw err;
      await sleep(SETTLE_DELAY_MS * (tries + 1));
      continue;
    }
    // The settling write landed: the timed-out one did not, and now cannot. Nothing was marked read.
    throw timedOut;
  }
  throw timedOut;
}

function write(bucket: KvBucket, key: string, stored: KvEntry<unknown> | null, state: ReadState): Promise<number> {
  return stored ? bucket.update(key, state, stored.revision) : bucket.create(key, state);
}

async function landed(bucket: KvBucket, key: string, next: ReadState): Promise<boolean> {
  for (let tries = 0; ; tries++) {
    try {
      const now = readStateSchema.safeParse((await bucket.get(key))?.value);
      return now.success && sameReadState(now.data, next);
    } catch (err) {
      if (!isLoomError(err, 'LOOM_ERR_TIMEOUT') || tries + 1 >= SETTLE_TRIES) throw err;
      await sleep(SETTLE_DELAY_MS * (tries + 1));
    }
  }
}
