// What the manager keeps per need (one work item that found no agent): its state, so a restart never spins up twice.
import { z } from 'zod';
import { SPIN_UP_OUTCOMES } from '../../core/index.js';

export const NEED_STATES = ['pending', 'served', 'deferred', 'failed', 'unserved', 'dropped'] as const;

export const needRecordSchema = z.object({
  workId: z.string(),
  projectId: z.string(),
  capability: z.string(),
  boundary: z.string().optional(),
  agentTypes: z.array(z.string()),
  reason: z.string(),
  /** Candidate target ids in weft's order of preference; their current config is read again on every retry. */
  candidateIds: z.array(z.string()),
  /** pending: being handled now; served: an agent was started for it; deferred: waits for capacity or cooldown. */
  state: z.enum(NEED_STATES),
  lastOutcome: z.enum(SPIN_UP_OUTCOMES).optional(),
  operationId: z.string().optional(),
  failures: z.number().int().min(0),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type NeedRecord = z.infer<typeof needRecordSchema>;

/** Operation ids sort by time (base-36 milliseconds first), so the attempts bucket lists oldest first. */
export function newOperationId(random: string, now = Date.now()): string {
  return `${now.toString(36).padStart(9, '0')}-${random}`;
}

export const keys = {
  attempt: (operationId: string) => `attempt.${operationId}`,
  attempts: 'attempt.',
  need: (workId: string) => `need.${workId}`,
  /** Present only while a need is open (pending or deferred): the check loop lists this prefix, not every need ever seen. */
  deferred: (workId: string) => `deferred.${workId}`,
  deferredPrefix: 'deferred.',
  /** When a target last started (or tried to start) an agent: its cooldown. */
  last: (targetId: string) => `last.${targetId}`,
};
