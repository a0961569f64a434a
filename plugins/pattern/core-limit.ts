// The personal core limit (100 per principal), strict even when two processes of one principal write at once.
import { LoomError, type KvBucket } from '../../core/index.js';
import type { MemoryIndex } from './memory-index.js';

// Personal keys are `<category>.<memoryId>` (names.memoryKey), so every core memory starts with this prefix.
const CORE_PREFIX = 'core.';

function limitError(limit: number): LoomError {
  return new LoomError(
    'LOOM_ERR_LIMIT_REACHED',
    `personal core memories are limited to ${limit} per principal and the limit is reached; forget one (forget with force: true) or store this as longterm`,
    { field: 'scope', limit },
  );
}

/** Before writing: refuse at once when the principal already has `limit` core memories. */
export async function assertCoreRoom(bucket: KvBucket, limit: number): Promise<void> {
  if ((await bucket.keys(CORE_PREFIX)).length >= limit) throw limitError(limit);
}

export interface CoreLimitCheck {
  bucket: KvBucket;
  key: string;
  revision: number;
  limit: number;
  index: MemoryIndex;
  ref: string;
}

/**
 * After writing: core memories rank by bucket revision (the order the server stored them). A writer whose memory
 * ranks past the limit removes it again. A writer that did not yet see a rival write stored before it, so the
 * rival sees both and steps back: the limit holds without a lock.
 */
export async function enforceCoreLimit(check: CoreLimitCheck): Promise<void> {
  const entries = await check.bucket.list(CORE_PREFIX);
  if (entries.length <= check.limit) return;
  const rank = entries.sort((a, b) => a.revision - b.revision).findIndex((entry) => entry.key === check.key);
  if (rank < check.limit) return;
  await check.bucket.delete(check.key);
  check.index.remove(check.ref);
  throw limitError(check.limit);
}
