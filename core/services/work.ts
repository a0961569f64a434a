// The work queue service: offer, claim with a lease, progress, complete, fail (retry or dead-letter), and the DLQ.
import { z } from 'zod';
import { defineService } from '../services.js';
import { tokenSchema } from '../isolation/tokens.js';

export const workScopeSchema = z.enum(['team', 'public']);

export const workOfferSchema = z.object({
  /** Token; also the JetStream message id, so a duplicate offer inside the dedupe window is dropped. */
  workId: tokenSchema.describe('Id of the work item (a token); the Nats-Msg-Id of the offer'),
  taskId: z.string().optional().describe("The submitter's task id"),
  description: z.string().describe('What to do'),
  capability: tokenSchema.describe('The capability queue it is on (a token)'),
  priority: z.number().int().min(1).max(10).describe('1 (lowest) to 10 (highest); each level has its own subject and consumer, 10 claimed first'),
  deadline: z.string().optional().describe('ISO 8601 date-time (informational)'),
  contextData: z.record(z.string(), z.unknown()).optional().describe('Any JSON object for the worker'),
  offeredBy: z.string().describe('Agent id of the submitter'),
  scope: workScopeSchema.describe('team: the project queue; public: loom.public.work.*'),
  /** W3C trace context of the submitter. */
  traceparent: z.string().optional().describe('W3C trace context of the submitter'),
});
export type WorkOffer = z.infer<typeof workOfferSchema>;

export const workErrorSchema = z.object({ at: z.string(), agentId: z.string(), error: z.string(), attempt: z.number().int() });
export type WorkError = z.infer<typeof workErrorSchema>;

/** The body of a message on a work subject: the offer as the offering project sent it, plus what a retry carries. */
export const workMessageSchema = workOfferSchema.extend({
  /** The project that offered it: its events, completion record and dead letters live there (public work too). */
  projectId: tokenSchema.describe('The offering project: its events, completion record and dead letters live there'),
  offeredAt: z.string().describe('ISO 8601 date-time of the offer'),
  /** Deliveries this item used before this message was published (a release, or a retry that kept its attempts). */
  priorAttempts: z.number().int().min(0).default(0).describe('Attempts used before this message (a release, or a retry that kept its count)'),
  /** How often the item was put back from the dead-letter queue. */
  retries: z.number().int().min(0).default(0).describe('Times put back from the dead-letter queue'),
});
export type WorkMessage = z.infer<typeof workMessageSchema>;

export const workItemSchema = workOfferSchema.extend({
  projectId: z.string(),
  offeredAt: z.string(),
  /** 1 on the first delivery. */
  attempt: z.number().int().min(1),
  errors: z.array(workErrorSchema),
});
export type WorkItem = z.infer<typeof workItemSchema>;

export interface ClaimedWork {
  item: WorkItem;
  leaseExpiresAt: string;
}

/** The body of a message on a dead-letter subject; its id is the message's sequence in the DLQ stream. */
export const deadLetterRecordSchema = workItemSchema.extend({
  deadLetteredAt: z.string(),
  reason: z.string(),
  retries: z.number().int().min(0).default(0),
});

export const deadLetterSchema = deadLetterRecordSchema.extend({
  /** The DLQ stream sequence, as a decimal string. */
  deadLetterId: z.string(),
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;

/** Per work id in KV loom-work-history-<p>: errors of every attempt, and the latest claim (to record an expired lease). */
export const workHistorySchema = z.object({
  errors: z.array(workErrorSchema),
  holder: z
    .object({
      agentId: z.string(),
      attempt: z.number().int(),
      at: z.string(),
      /** The delivery's JetStream ack subject: weft naks it to hand the item back when the holder goes offline. */
      reply: z.string().optional(),
    })
    .optional(),
});
export type WorkHistory = z.infer<typeof workHistorySchema>;

/** The record written once per work id when it completes (KV loom-completions-<p>, key = work id). */
export const workCompletionSchema = z.object({
  workId: z.string(),
  agentId: z.string().describe('Who completed it (or cancelled it)'),
  result: z.unknown(),
  completedAt: z.string(),
  attempt: z.number().int().describe('The attempt that completed it; 0 for a cancellation before any claim'),
  /** Written by cancel(): the item is never handed out again and cannot be completed. */
  cancelled: z.boolean().optional(),
});
export type WorkCompletion = z.infer<typeof workCompletionSchema>;

export interface WorkQueueSettings {
  /** Lease: how long a claimer holds an item without progress (JetStream ack wait). Default 5 min. */
  ackWaitMs: number;
  /** Deliveries before an item goes to the dead-letter queue. Default 3. */
  maxDeliver: number;
  /** Duplicate offers with the same work id inside this window are dropped. Default 2 min. */
  dedupeWindowMs: number;
  /** Dead letters kept this long. Default 7 days. */
  dlqMaxAgeMs: number;
  /** A retryable failure is redelivered after retryDelayMs × 2^(attempt-1), at most ackWaitMs. Default 1 s. */
  retryDelayMs: number;
  /** A waiting claimer re-checks this often for redeliveries (new offers wake it at once). Default 500 ms. */
  claimPollMs: number;
}

export interface ProjectWorkQueue {
  readonly projectId: string;
  offer(offer: WorkOffer): Promise<{ workId: string; duplicate: boolean }>;
  /**
   * Waits up to timeoutMs for one item of a capability (or of any of several), highest priority first; null when
   * none came. Returns as soon as an item arrives; timeoutMs 0 checks once.
   */
  claim(capability: string | readonly string[], options: { agentId: string; timeoutMs: number; signal?: AbortSignal; includePublic?: boolean }): Promise<ClaimedWork | null>;
  /** Extends the lease of an item this process claimed. */
  progress(workId: string, agentId: string, note?: string): Promise<{ leaseExpiresAt: string }>;
  /** Acks the item and records the completion (keyed by work id: a second completion is LOOM_ERR_CONFLICT). */
  complete(workId: string, agentId: string, result: unknown): Promise<void>;
  /** Naks with backoff when retryable and attempts remain; otherwise copies to the DLQ with its errors and removes it. */
  fail(workId: string, agentId: string, error: string, retryable: boolean): Promise<{ outcome: 'retrying' | 'dead-lettered'; attempt: number }>;
  /** Gives an item back to the queue at once (a worker shutting down). */
  release(workId: string, agentId: string): Promise<void>;
  /**
   * Gives back an item held by an agent in another process that is gone (weft, when the agent is marked offline): naks
   * its delivery so it is redelivered now instead of after the lease. Does nothing unless agentId holds it still (as
   * recorded at its claim, and on that attempt when given). The caller must be sure the holder is dead: a live holder
   * would lose its item.
   */
  handBack?(workId: string, agentId: string, attempt?: number): Promise<{ handedBack: boolean }>;
  /** Items waiting, per capability. */
  depth(): Promise<Record<string, number>>;
  listDeadLetters(options: { capability?: string; cursor?: string; limit: number }): Promise<{ items: DeadLetter[]; nextCursor?: string }>;
  retryDeadLetter(deadLetterId: string, options: { resetAttempts: boolean }): Promise<{ workId: string }>;
  discardDeadLetter(deadLetterId: string): Promise<void>;
  /** The recorded completion of a work id, if any. */
  completion(workId: string): Promise<{ agentId: string; result: unknown; completedAt: string } | null>;
  /** Work ids this process holds right now (claimed, no outcome yet). */
  held(): string[];
  /**
   * Marks a work id cancelled (weft's POST /api/work/:id/cancel): a waiting item is removed or skipped when claimed, and
   * a later complete() of it must not count as success. Optional: weft records the cancellation either way.
   */
  cancel?(workId: string): Promise<{ removed: boolean }>;
}

export interface WorkQueueService {
  readonly settings: WorkQueueSettings;
  forProject(projectId: string): ProjectWorkQueue;
}

export const workQueueService = defineService<WorkQueueService>('service:work-queue');
