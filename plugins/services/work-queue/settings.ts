// The work queue's options (lease, deliveries, dedupe window, DLQ age, retry delay) and the env vars that set them.
import { z } from 'zod';
import type { WorkQueueSettings } from '../../../core/index.js';

const SECOND = 1000;
const DAY = 24 * 60 * 60 * SECOND;

export const workQueueOptionsSchema = z.strictObject({
  /** Lease: how long a claimer holds an item without progress (JetStream ack wait). */
  ackWaitMs: z.coerce.number().int().min(500).max(DAY).default(5 * 60 * SECOND),
  /** Deliveries before an item goes to the dead-letter queue. */
  maxDeliver: z.coerce.number().int().min(1).max(100).default(3),
  /** Duplicate offers with the same work id inside this window are dropped (the work stream's duplicate window). */
  dedupeWindowMs: z.coerce.number().int().min(SECOND).max(DAY).default(2 * 60 * SECOND),
  /** How long dead letters are kept. */
  dlqMaxAgeMs: z.coerce.number().int().min(SECOND).default(7 * DAY),
  /** First retry delay after a retryable failure; doubles per attempt, capped at the lease. */
  retryDelayMs: z.coerce.number().int().min(0).default(SECOND),
  /** A waiting claimer re-checks this often for redeliveries (new offers wake it at once). */
  claimPollMs: z.coerce.number().int().min(20).max(60 * SECOND).default(500),
  /** Completion records and error histories are kept this long (exactly-once completion holds within it). */
  recordMaxAgeMs: z.coerce.number().int().min(SECOND).default(7 * DAY),
});
export type WorkQueueOptions = z.output<typeof workQueueOptionsSchema>;

export const workQueueEnv = {
  LOOMINAL_ACK_WAIT_MS: 'ackWaitMs',
  LOOMINAL_MAX_DELIVER: 'maxDeliver',
  LOOMINAL_DEDUPE_WINDOW_MS: 'dedupeWindowMs',
  LOOMINAL_DLQ_MAX_AGE_MS: 'dlqMaxAgeMs',
  LOOMINAL_RETRY_DELAY_MS: 'retryDelayMs',
  LOOMINAL_CLAIM_POLL_MS: 'claimPollMs',
} as const;

export function toSettings(options: WorkQueueOptions): WorkQueueSettings {
  const { ackWaitMs, maxDeliver, dedupeWindowMs, dlqMaxAgeMs, retryDelayMs, claimPollMs } = options;
  return Object.freeze({ ackWaitMs, maxDeliver, dedupeWindowMs, dlqMaxAgeMs, retryDelayMs, claimPollMs });
}

/** The nak delay after a retryable failure of `attempt`. */
export function retryDelay(settings: WorkQueueSettings, attempt: number): number {
  return Math.min(settings.retryDelayMs * 2 ** Math.max(0, attempt - 1), settings.ackWaitMs);
}
