// Helpers the storage contract and backend tests share: polling with a deadline, coded-error checks, CAS increments.
import { isLoomError, type KvBucket, type StorageFeatures } from '../../core/index.js';

export type StorageFeature = keyof StorageFeatures;

export { until as waitFor } from '../../core/testing/poll.js';

/** Fails unless the promise rejects with a LoomError of this code. (No vitest import: child processes use this file too.) */
export async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const outcome = await promise.then(
    () => ({ rejected: false as const }),
    (err: unknown) => ({ rejected: true as const, err }),
  );
  if (!outcome.rejected) throw new Error(`expected ${code}, but the call succeeded`);
  if (!isLoomError(outcome.err) || outcome.err.code !== code) throw new Error(`expected ${code}, got ${String(outcome.err)}`, { cause: outcome.err });
}

/** Read-modify-write with compare-and-set, retrying on conflict: the pattern every caller of update() uses. */
export async function casIncrement(bucket: KvBucket, key: string): Promise<number> {
  let conflicts = 0;
  for (;;) {
    const entry = await bucket.get<number>(key);
    try {
      if (entry) await bucket.update(key, entry.value + 1, entry.revision);
      else await bucket.create(key, 1);
      return conflicts;
    } catch (err) {
      if (!isLoomError(err, 'LOOM_ERR_CONFLICT')) throw err;
      conflicts++;
    }
  }
}
