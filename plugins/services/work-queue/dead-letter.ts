// Copies an item with its error history to loom.<p>.dlq.<capability>; callers remove it from the work stream only after.
import { headers } from '@nats-io/transport-node';
import type { DeadLetter, Names, WorkError, WorkMessage } from '../../../core/index.js';
import type { QueueContext } from './queue-context.js';
import { publishWithRetry } from '../../../core/nats/publish-retry.js';

const encoder = new TextEncoder();

export async function deadLetter(q: QueueContext, origin: Names, message: WorkMessage, outcome: { attempt: number; errors: WorkError[]; reason: string }): Promise<void> {
  await q.topology.dlqStream(origin);
  const { priorAttempts: _prior, ...rest } = message;
  const record: Omit<DeadLetter, 'deadLetterId'> = { ...rest, attempt: outcome.attempt, errors: outcome.errors, deadLetteredAt: new Date().toISOString(), reason: outcome.reason };
  const h = headers();
  h.set('Loom-Work-Id', message.workId);
  if (message.traceparent) h.set('traceparent', message.traceparent);
  const js = await q.nats.jetstream();
  // The id makes a second copy of the same attempt (a claimer that died between copy and removal) a duplicate.
  await publishWithRetry(js, origin.dlqSubject(message.capability), encoder.encode(JSON.stringify(record)), { msgID: `${message.workId}:dead:${message.retries}:${outcome.attempt}`, headers: h, log: q.log });
  // The last error rides along: a follower that sees this event before (or instead of) the `failed` one still knows why.
  const lastError = outcome.errors.at(-1)?.error;
  await q.emit({ type: 'dead-lettered', projectId: origin.projectId, workId: message.workId, capability: message.capability, attempt: outcome.attempt, note: outcome.reason, ...(lastError ? { error: lastError } : {}), ...(message.taskId ? { taskId: message.taskId } : {}) });
}
