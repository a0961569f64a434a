// claim: one pass over every band without waiting (high first), then sleep until an offer arrives, and again.
import { assertToken, createNames, isLoomError, workMessageSchema, type ClaimedWork, type Names, type WorkItem, type WorkMessage } from '../../../core/index.js';
import { pullNoWait, settle, type LeasedMessage } from './leased-message.js';
import { deliveryLimit, type QueueContext } from './queue-context.js';
import { claimOrder, type WorkSource } from './work-sources.js';
import { createWake } from './wake.js';
import { deadLetter } from './dead-letter.js';
import { releaseHeld } from './outcomes.js';

export interface ClaimOptions {
  agentId: string;
  timeoutMs: number;
  signal?: AbortSignal;
  includePublic?: boolean;
}

export async function claimWork(q: QueueContext, names: Names, capabilities: readonly string[], options: ClaimOptions): Promise<ClaimedWork | null> {
  const sources = claimOrder(names, capabilities, options.includePublic ?? false);
  const ensure = async () => {
    await q.topology.workStream(names);
    if (options.includePublic) await q.topology.publicWorkStream(names);
    await Promise.all(sources.map((source) => q.topology.consumer(source.stream, source.consumer, source.subject)));
  };
  await ensure();
  const nc = await q.nats.connection();
  const wakeSubjects = capabilities.flatMap((c) => [names.workCapabilityWildcard(c), ...(options.includePublic ? [names.publicWorkCapabilityWildcard(c)] : [])]);
  const wake = createWake(nc, wakeSubjects);
  const deadline = Date.now() + Math.max(0, options.timeoutMs);
  try {
    for (;;) {
      if (options.signal?.aborted) return null;
      wake.mark();
      let pulled = false;
      for (const source of sources) {
        const leased = await pullNoWait(nc, source.stream, source.consumer).catch(async (err: unknown) => {
          // A deleted consumer answers nothing (a timeout) or "no responders": create what is missing, then go on.
          if (!isLoomError(err, 'LOOM_ERR_NOT_FOUND') && !isLoomError(err, 'LOOM_ERR_TIMEOUT')) throw err;
          q.log.warn({ err, stream: source.stream, consumer: source.consumer }, 'work consumer did not answer; making sure it exists');
          q.topology.reset();
          await ensure();
          return null;
        });
        if (!leased) continue;
        pulled = true;
        const claimed = await admit(q, source, leased, options.agentId);
        if (!claimed) break; // dead-lettered or already completed: start again from the highest band
        if (options.signal?.aborted) {
          await releaseHeld(q, claimed.item.workId, options.agentId);
          return null;
        }
        return claimed;
      }
      if (pulled) continue;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return null;
      await wake.wait(Math.min(remaining, q.settings.claimPollMs), options.signal);
    }
  } finally {
    wake.stop();
  }
}

/** Turns a delivery into a claim, or settles it when it must not be handed out. */
async function admit(q: QueueContext, source: WorkSource, leased: LeasedMessage, agentId: string): Promise<ClaimedWork | null> {
  const message = parseMessage(leased);
  if (!message) {
    q.log.error({ subject: leased.msg.subject, stream: source.stream, seq: leased.streamSeq }, 'dropping a work message that does not match the work message schema');
    await settle(q, leased);
    return null;
  }
  const origin = createNames(message.projectId);
  const limit = deliveryLimit(q.settings, message);
  const attempt = message.priorAttempts + leased.deliveryCount;
  if (leased.deliveryCount > limit) {
    // The holder of the last allowed delivery died or let its lease run out: dead-letter before removing it.
    const errors = await q.records.expireHolder(origin, message.workId);
    await deadLetter(q, origin, message, { attempt: attempt - 1, errors, reason: `lease expired on the last allowed attempt (${attempt - 1} of ${q.settings.maxDeliver})` });
    await settle(q, leased);
    return null;
  }
  const fresh = leased.deliveryCount === 1 && message.priorAttempts === 0 && message.retries === 0;
  const [completed, errors] = await Promise.all([q.records.completion(origin, message.workId), q.records.recordClaim(origin, message.workId, { agentId, attempt }, fresh)]);
  if (completed) {
    q.log.info({ workId: message.workId, completedBy: completed.agentId }, 'dropping a delivery of work that is already completed');
    await settle(q, leased);
    return null;
  }
  const { priorAttempts: _prior, retries: _retries, ...offer } = message;
  const item: WorkItem = { ...offer, attempt, errors };
  const leaseExpiresAt = Date.now() + q.settings.ackWaitMs;
  q.held.set(message.workId, { item, message, leased, origin, agentId, leaseExpiresAt, limit });
  await q.emit({ type: 'claimed', projectId: origin.projectId, workId: message.workId, capability: message.capability, agentId, attempt, ...(message.taskId ? { taskId: message.taskId } : {}), ...(message.traceparent ? { traceparent: message.traceparent } : {}) });
  return { item, leaseExpiresAt: new Date(leaseExpiresAt).toISOString() };
}

function parseMessage(leased: LeasedMessage): WorkMessage | null {
  try {
    const parsed = workMessageSchema.safeParse(JSON.parse(new TextDecoder().decode(leased.msg.data)));
    if (!parsed.success) return null;
    createNames(parsed.data.projectId);
    assertToken('workId', parsed.data.workId);
    assertToken('capability', parsed.data.capability);
    return parsed.data;
  } catch {
    return null;
  }
}
