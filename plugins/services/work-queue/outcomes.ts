// The outcomes of a held item: progress (extend the lease), complete (exactly once), fail (retry or DLQ), release.
import { isLoomError, LoomError, type Names } from '../../../core/index.js';
import { deadLetter } from './dead-letter.js';
import { settle } from './leased-message.js';
import { alreadySettled } from './records.js';
import { parseAckSubject } from '../../../core/nats/ack-subject.js';
import { publishWork } from './publish-work.js';
import type { HeldWork, QueueContext } from './queue-context.js';
import { retryDelay } from './settings.js';

function taken(q: QueueContext, workId: string, agentId: string): HeldWork {
  const held = q.held.get(workId);
  if (!held) {
    throw new LoomError('LOOM_ERR_NOT_FOUND', `work ${workId} is not held by this agent: claim it first (claim_work), or it was already completed, failed or released`, { workId });
  }
  if (held.agentId !== agentId) throw new LoomError('LOOM_ERR_FORBIDDEN', `work ${workId} is held by agent ${held.agentId}, not ${agentId}`, { workId });
  return held;
}

const eventBase = (held: HeldWork) => ({
  projectId: held.origin.projectId,
  workId: held.item.workId,
  capability: held.item.capability,
  agentId: held.agentId,
  attempt: held.item.attempt,
  ...(held.item.taskId ? { taskId: held.item.taskId } : {}),
  ...(held.item.traceparent ? { traceparent: held.item.traceparent } : {}),
});

export async function progressHeld(q: QueueContext, workId: string, agentId: string, note?: string): Promise<{ leaseExpiresAt: string }> {
  const held = taken(q, workId, agentId);
  held.leased.working();
  held.leaseExpiresAt = Date.now() + q.settings.ackWaitMs;
  await q.emit({ type: 'progress', ...eventBase(held), ...(note ? { note } : {}) });
  return { leaseExpiresAt: new Date(held.leaseExpiresAt).toISOString() };
}

export async function completeHeld(q: QueueContext, names: Names, workId: string, agentId: string, result: unknown): Promise<void> {
  if (!q.held.has(workId)) {
    const done = await q.records.completion(names, workId);
    if (done) throw alreadySettled(workId, done);
  }
  const current = taken(q, workId, agentId);
  q.held.delete(workId);
  try {
    await q.records.complete(current.origin, { workId, agentId, result, completedAt: new Date().toISOString(), attempt: current.item.attempt });
  } catch (err) {
    // Completed by someone else before: this delivery is done too. Any other failure (the broker gone, the bucket
    // unavailable) may mean nothing was recorded: no ack, so the item comes back after its lease instead of vanishing.
    if (isLoomError(err, 'LOOM_ERR_CONFLICT')) current.leased.ackNow();
    // Still held while the lease lasts, so the caller can simply call complete again.
    else if (!q.held.has(workId)) q.held.set(workId, current);
    throw err;
  }
  // The ack is not awaited: if it is lost, the redelivery finds the completion record and is dropped unseen.
  current.leased.ackNow();
  await q.emit({ type: 'completed', ...eventBase(current), result });
}

export async function failHeld(q: QueueContext, workId: string, agentId: string, error: string, retryable: boolean): Promise<{ outcome: 'retrying' | 'dead-lettered'; attempt: number }> {
  const held = taken(q, workId, agentId);
  q.held.delete(workId);
  const { attempt } = held.item;
  const errors = await q.records.appendError(held.origin, workId, { at: new Date().toISOString(), agentId, error, attempt });
  if (retryable && held.leased.deliveryCount < held.limit) {
    const delay = retryDelay(q.settings, attempt);
    held.leased.nak(delay);
    await q.emit({ type: 'retrying', ...eventBase(held), error, note: `redelivered in ${delay} ms` });
    return { outcome: 'retrying', attempt };
  }
  const reason = retryable ? `failed on attempt ${attempt} of ${q.settings.maxDeliver}` : `failed on attempt ${attempt} and was not retryable`;
  await q.emit({ type: 'failed', ...eventBase(held), error, note: reason });
  await deadLetter(q, held.origin, held.message, { attempt, errors, reason });
  await settle(q, held.leased);
  return { outcome: 'dead-lettered', attempt };
}

/** Puts the item back without spending an attempt: republished with the attempts it used, then acked. */
export async function releaseHeld(q: QueueContext, workId: string, agentId: string): Promise<void> {
  const held = taken(q, workId, agentId);
  q.held.delete(workId);
  const message = { ...held.message, priorAttempts: held.item.attempt - 1 };
  await publishWork(q, message, `${workId}:release:${held.leased.streamSeq}`);
  await settle(q, held.leased);
  await q.emit({ type: 'offered', ...eventBase(held), note: `released by agent ${agentId}` });
}

/** Settles a work id as cancelled: never handed out again (a waiting copy is dropped at its next delivery), never completed. */
export async function cancelWork(q: QueueContext, names: Names, workId: string): Promise<{ removed: boolean }> {
  // First: a claim that starts from now on finds a record and checks the completion instead of taking the fast path.
  await q.records.markSettled(names, workId);
  try {
    await q.records.complete(names, { workId, agentId: 'cancelled', result: null, completedAt: new Date().toISOString(), attempt: 0, cancelled: true });
  } catch (err) {
    if (!(err instanceof LoomError && err.code === 'LOOM_ERR_CONFLICT')) throw err;
    // Cancelled already (by weft) while this process holds it: its holder settles the delivery, nobody else can.
    if (!q.held.has(workId) || !(await q.records.completion(names, workId))?.cancelled) return { removed: false };
  }
  const held = q.held.get(workId);
  if (held) {
    q.held.delete(workId);
    await settle(q, held.leased);
  }
  return { removed: true };
}

/**
 * Naks the delivery a dead holder in another process left behind (weft, when the agent went offline): JetStream takes
 * a nak from any connection on the delivery's ack subject and redelivers at once. Like a lapsed lease, it spends the
 * attempt; the next claim records it as expired. Without a recorded ack subject the lease runs out as before.
 */
export async function handBackWork(q: QueueContext, names: Names, workId: string, agentId: string, attempt?: number): Promise<{ handedBack: boolean }> {
  // A holder in this process is alive by definition: only it settles its own delivery.
  if (q.held.get(workId)?.agentId === agentId) return { handedBack: false };
  const holder = await q.records.holder(names, workId);
  if (!holder?.reply || holder.agentId !== agentId || (attempt !== undefined && holder.attempt !== attempt)) return { handedBack: false };
  if (await q.records.completion(names, workId)) return { handedBack: false };
  try {
    parseAckSubject(holder.reply);
  } catch {
    q.log.warn({ workId, reply: holder.reply }, 'the recorded ack subject of a claim is not one; the item returns when its lease expires');
    return { handedBack: false };
  }
  const { nc } = await q.transport();
  try {
    await nc.request(holder.reply, new TextEncoder().encode('-NAK'), { timeout: 5000 });
  } catch (err) {
    // No answer: the delivery was settled or its lease ran out already (the server stays silent then), or the nak was lost.
    q.log.warn({ err, workId, agentId }, 'the hand-back of a dead holder\'s item was not confirmed; it returns when its lease expires at the latest');
    return { handedBack: false };
  }
  return { handedBack: true };
}
