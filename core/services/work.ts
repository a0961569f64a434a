// The work queue service: offer, claim with a lease, progress, complete, fail (retry or dead-letter), and the DLQ.
import { z } from 'zod';
import { defineService } from '../services.js';

export const workScopeSchema = z.enum(['team', 'public']);

export const workOfferSchema = z.object({
  /** Token; also the JetStream message id, so a duplicate offer inside the dedupe window is dropped. */
  workId: z.string(),
  taskId: z.string().optional(),
  description: z.string(),
  capability: z.string(),
  priority: z.number().int().min(1).max(10),
  deadline: z.string().optional(),
  contextData: z.record(z.string(), z.unknown()).optional(),
  offeredBy: z.string(),
  scope: workScopeSchema,
  /** W3C trace context of the submitter. */
  traceparent: z.string().optional(),
});
export type WorkOffer = z.infer<typeof workOfferSchema>;

export const workErrorSchema = z.object({ at: z.string(), agentId: z.string(), error: z.string(), attempt: z.number().int() });
export type WorkError = z.infer<typeof workErrorSchema>;

export const workItemSchema = workOfferSchema.extend({
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

export const deadLetterSchema = workItemSchema.extend({
  deadLetterId: z.string(),
  deadLetteredAt: z.string(),
  reason: z.string(),
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;

export interface WorkQueueSettings {
  /** Lease: how long a claimer holds an item without progress (JetStream ack wait). Default 5 min. */
  ackWaitMs: number;
  /** Deliveries before an item goes to the dead-letter queue. Default 3. */
  maxDeliver: number;
  /** Duplicate offers with the same work id inside this window are dropped. Default 2 min. */
  dedupeWindowMs: number;
  /** Dead letters kept this long. Default 7 days. */
  dlqMaxAgeMs: number;
}

export interface ProjectWorkQueue {
  readonly projectId: string;
  offer(offer: WorkOffer): Promise<{ workId: string; duplicate: boolean }>;
  /** Waits up to timeoutMs for one item of a capability, highest priority band first; null when none came. */
  claim(capability: string, options: { agentId: string; timeoutMs: number; signal?: AbortSignal; includePublic?: boolean }): Promise<ClaimedWork | null>;
  /** Extends the lease of an item this process claimed. */
  progress(workId: string, agentId: string, note?: string): Promise<{ leaseExpiresAt: string }>;
  /** Acks the item and records the completion (keyed by work id: a second completion is LOOM_ERR_CONFLICT). */
  complete(workId: string, agentId: string, result: unknown): Promise<void>;
  /** Naks with backoff when retryable and attempts remain; otherwise copies to the DLQ with its errors and removes it. */
  fail(workId: string, agentId: string, error: string, retryable: boolean): Promise<{ outcome: 'retrying' | 'dead-lettered'; attempt: number }>;
  /** Gives an item back to the queue at once (a worker shutting down). */
  release(workId: string, agentId: string): Promise<void>;
  /** Items waiting, per capability. */
  depth(): Promise<Record<string, number>>;
  listDeadLetters(options: { capability?: string; cursor?: string; limit: number }): Promise<{ items: DeadLetter[]; nextCursor?: string }>;
  retryDeadLetter(deadLetterId: string, options: { resetAttempts: boolean }): Promise<{ workId: string }>;
  discardDeadLetter(deadLetterId: string): Promise<void>;
  /** The recorded completion of a work id, if any. */
  completion(workId: string): Promise<{ agentId: string; result: unknown; completedAt: string } | null>;
}

export interface WorkQueueService {
  readonly settings: WorkQueueSettings;
  forProject(projectId: string): ProjectWorkQueue;
}

export const workQueueService = defineService<WorkQueueService>('service:work-queue');
