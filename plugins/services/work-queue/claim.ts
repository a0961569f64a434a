// claim: one pass over every band without waiting (high first), then sleep until an offer arrives, and again.
import { assertToken, isLoomError, workMessageSchema, type ClaimedWork, type Names, type WorkCompletion, type WorkError, type WorkItem, type WorkMessage } from '../../../core/index.js';
import { pullNoWait, settle, type LeasedMessage } from './leased-message.js';
import { deliveryLimit, type QueueContext } from './queue-context.js';
import { claimPlan, type WorkSource } from './work-sources.js';
import { deadLetter } from './dead-letter.js';
import { releaseHeld } from './outcomes.js';
import { markUnstoredEmpty } from './stored-levels.js';

/** How long a pull waits for an offer that woke the claimer but may not be stored yet. */
const ARRIVAL_WAIT_MS = 50;

export interface ClaimOptions {
  agentId: string;
  timeoutMs: number;
  signal?: AbortSignal;
  includePublic?: boolean;
}

export async function claimWork(q: QueueContext, names: Names, capabilities: readonly string[], options: ClaimOptions): Promise<ClaimedWork | null> {
  const { sources, groups } = claimPlan(names, capabilities, options.includePublic ?? false);
  const ensure = async () => {
    await q.topology.workStream(names);
    if (options.includePublic) await q.topology.publicWorkStream(names);
    await Promise.all(sources.map((source) => q.topology.consumer(source.stream, source.consumer, source.subject)));
  };
  await ensure();
  const { nc, puller, wakes, bands } = await q.transport();
  const wake = wakes.watch(groups.map((group) => group.wake));
  const deadline = Date.now() + Math.max(0, options.timeoutMs);
  try {
    for (;;) {
      if (options.signal?.aborted) return null;
      wake.mark();
      let pulled = false;
      for (const source of sources) {
        const known = bands.state(source);
        if (known.kind === 'empty') continue;
        // One offer woke the claimer and nothing else came: its claim record is written while the pull is on its way.
        const guess = known.only ? guessClaim(q, known.only, options.agentId) : undefined;
        const snapshot = bands.before(source);
        let leased: LeasedMessage | null;
        try {
          leased = await pullNoWait(nc, puller, source.stream, source.consumer, known.kind === 'arrived' ? ARRIVAL_WAIT_MS : 0);
        } catch (err) {
          // A deleted consumer answers nothing (a timeout) or "no responders": create what is missing, then go on.
          if (!isLoomError(err, 'LOOM_ERR_NOT_FOUND') && !isLoomError(err, 'LOOM_ERR_TIMEOUT')) throw err;
          q.log.warn({ err, stream: source.stream, consumer: source.consumer }, 'work consumer did not answer; making sure it exists');
          q.topology.reset();
          await ensure();
          continue;
        }
        bands.found(source, snapshot, leased === null);
        if (!leased) continue;
        pulled = true;
        const claimed = await admit(q, source, leased, options.agentId, guess);
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
      if (wake.quiet() && !options.signal?.aborted) await markUnstoredEmpty(q, bands, groups);
    }
  } finally {
    wake.stop();
  }
}

/** A first-claim record started for the offer that woke the claimer, before its delivery arrived. */
interface Guess {
  workId: string;
  projectId: string;
  /** startFresh's answer, or undefined when the write failed (admit then writes itself). */
  created: Promise<boolean | undefined>;
}

/**
 * Writing the record early is safe when the guess is wrong: the item's real first claimer finds a record, takes the
 * careful path (completion check, then a fresh history replaces this one), and only pays a round trip more.
 */
function guessClaim(q: QueueContext, offer: { workId: string; projectId: string }, agentId: string): Guess | undefined {
  try {
    const created = q.records.startFresh(q.names(offer.projectId), assertToken('workId', offer.workId), { agentId, attempt: 1 }).catch(() => undefined);
    return { ...offer, created };
  } catch {
    return undefined;
  }
}

/** Attempts the message used before this delivery (a retry or release carries them), plus this one. */
const attemptOf = (message: WorkMessage, leased: LeasedMessage): number => message.priorAttempts + leased.deliveryCount;

/** Turns a delivery into a claim, or settles it when it must not be handed out. */
async function admit(q: QueueContext, source: WorkSource, leased: LeasedMessage, agentId: string, guess?: Guess): Promise<ClaimedWork | null> {
  const message = parseMessage(q, leased);
  if (!message) {
    q.log.error({ subject: leased.msg.subject, stream: source.stream, seq: leased.streamSeq }, 'dropping a work message that does not match the work message schema');
    await settle(q, leased);
    return null;
  }
  try {
    return await admitMessage(q, leased, message, agentId, guess);
  } catch (err) {
    // Neither handed out nor settled (a record write timed out, say): the next claimer gets it now, not when the
    // lease runs out. The delivery counts either way, so the history says why this attempt ended before the next
    // claimer reads it; otherwise a claim record that did land would read as a holder that died with the item.
    if (q.held.get(message.workId)?.leased !== leased) {
      const attempt = attemptOf(message, leased);
      const reason = err instanceof Error ? err.message : String(err);
      await q.records.appendError(q.names(message.projectId), message.workId, { at: new Date().toISOString(), agentId, attempt, error: `handed back before the claimer had it: ${reason}` }).catch(() => undefined);
      leased.nak(0);
    }
    throw err;
  }
}

async function admitMessage(q: QueueContext, leased: LeasedMessage, message: WorkMessage, agentId: string, guess?: Guess): Promise<ClaimedWork | null> {
  const origin = q.names(message.projectId);
  const limit = deliveryLimit(q.settings, message);
  const attempt = attemptOf(message, leased);
  if (leased.deliveryCount > limit) {
    // Completed on its last allowed delivery, but the ack was lost (the claimer died right after recording it): done,
    // not dead. Completed or dead-lettered, never both.
    if (await q.records.completion(origin, message.workId)) {
      await settle(q, leased);
      return null;
    }
    // The holder of the last allowed delivery died or let its lease run out: dead-letter before removing it.
    const errors = await q.records.expireHolder(origin, message.workId);
    await deadLetter(q, origin, message, { attempt: attempt - 1, errors, reason: `lease expired on the last allowed attempt (${attempt - 1} of ${q.settings.maxDeliver})` });
    await settle(q, leased);
    return null;
  }
  const fresh = leased.deliveryCount === 1 && message.priorAttempts === 0 && message.retries === 0;
  let completed: WorkCompletion | null = null;
  let errors: WorkError[] = [];
  // The ack subject goes into the claim record: weft naks it to hand the item back when this agent goes offline.
  const holder = { agentId, attempt, reply: leased.msg.reply! };
  // Set when the claim record was written before the delivery came (the guess): it still lacks the ack subject.
  let replyMissing = false;
  // The common case costs one write: a first delivery of a work id nothing was ever recorded for cannot be settled.
  const startFresh = async () => {
    const guessed = guess && guess.workId === message.workId && guess.projectId === message.projectId ? await guess.created : undefined;
    if (guessed !== undefined) replyMissing = guessed;
    return guessed ?? q.records.startFresh(origin, message.workId, holder);
  };
  if (!fresh || !(await startFresh())) {
    replyMissing = false;
    [completed, errors] = await Promise.all([q.records.completion(origin, message.workId), q.records.recordClaim(origin, message.workId, holder, fresh)]);
  }
  if (completed) {
    q.log.info({ workId: message.workId, completedBy: completed.agentId }, 'dropping a delivery of work that is already completed');
    await settle(q, leased);
    return null;
  }
  const { priorAttempts: _prior, retries: _retries, ...offer } = message;
  const item: WorkItem = { ...offer, attempt, errors };
  const leaseExpiresAt = Date.now() + q.settings.ackWaitMs;
  q.held.set(message.workId, { item, message, leased, origin, agentId, leaseExpiresAt, limit });
  // Not awaited: a parked claimer's dispatch must not wait two more round trips for it; without it (not yet written, or
  // lost) a hand-back waits for the lease instead, and a late write after an outcome is harmless (the hand-back checks).
  if (replyMissing) {
    q.records.recordReply(origin, message.workId, holder).catch((err: unknown) => q.log.warn({ err, workId: message.workId }, 'could not record the ack subject of a claim; a hand-back waits for the lease'));
  }
  await q.emit({ type: 'claimed', projectId: origin.projectId, workId: message.workId, capability: message.capability, agentId, attempt, ...(message.taskId ? { taskId: message.taskId } : {}), ...(message.traceparent ? { traceparent: message.traceparent } : {}) });
  return { item, leaseExpiresAt: new Date(leaseExpiresAt).toISOString() };
}

function parseMessage(q: QueueContext, leased: LeasedMessage): WorkMessage | null {
  try {
    const parsed = workMessageSchema.safeParse(JSON.parse(new TextDecoder().decode(leased.msg.data)));
    if (!parsed.success) return null;
    q.names(parsed.data.projectId);
    assertToken('workId', parsed.data.workId);
    assertToken('capability', parsed.data.capability);
    return parsed.data;
  } catch {
    return null;
  }
}
