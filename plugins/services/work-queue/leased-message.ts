// One no-wait pull from a durable JetStream consumer, and the ack protocol on the message it returns (the lease).
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { LoomError, type Logger } from '../../../core/index.js';
import { parseAckSubject } from '../../../core/nats/ack-subject.js';
import { pullAnswer } from '../../../core/nats/pull-status.js';
import type { Puller } from './puller.js';

/** A message held under a consumer's ack wait: acking, naking or reporting progress goes to its reply subject. */
export interface LeasedMessage {
  readonly msg: Msg;
  /** Stream sequence of the message. */
  readonly streamSeq: number;
  /** 1 on the first delivery (JetStream's num_delivered). */
  readonly deliveryCount: number;
  /** Removes it from a work-queue stream; resolves when the server confirmed. */
  ack(timeoutMs?: number): Promise<void>;
  /** Acks without waiting for the confirmation (when a lost ack only causes a redelivery that is dropped). */
  ackNow(): void;
  /** Redeliver after delayMs (counts as a delivery). */
  nak(delayMs: number): void;
  /** Restarts the ack-wait timer. */
  working(): void;
}

const encoder = new TextEncoder();

function lease(nc: NatsConnection, msg: Msg): LeasedMessage {
  const reply = msg.reply!;
  const { deliveryCount, streamSeq } = parseAckSubject(reply);
  return {
    msg,
    deliveryCount,
    streamSeq,
    async ack(timeoutMs = 5000) {
      await nc.request(reply, encoder.encode('+ACK'), { timeout: timeoutMs });
    },
    ackNow() {
      nc.publish(reply, encoder.encode('+ACK'));
    },
    nak(delayMs) {
      nc.publish(reply, encoder.encode(delayMs > 0 ? `-NAK ${JSON.stringify({ delay: Math.round(delayMs * 1e6) })}` : '-NAK'));
    },
    working() {
      nc.publish(reply, encoder.encode('+WPI'));
    },
  };
}

/**
 * Asks the consumer for one message without waiting: resolves with it, or null when the consumer has none ready now.
 * (The simplified consumer API waits at least 1 s per empty request; a claim checks every band in one pass instead.)
 * With waitMs the server may hold the request that long for a message to become ready.
 */
export async function pullNoWait(nc: NatsConnection, puller: Puller, stream: string, consumer: string, waitMs = 0, timeoutMs = 2000): Promise<LeasedMessage | null> {
  const msg = await puller.pull(stream, consumer, timeoutMs, waitMs);
  if (!msg) throw new LoomError('LOOM_ERR_TIMEOUT', `pull from ${stream}/${consumer} got no answer in ${timeoutMs} ms`, { stream, consumer });
  // A gone consumer (deleted by an admin, or its stream was recreated) is LOOM_ERR_NOT_FOUND: the claimer recreates it.
  const answer = pullAnswer(msg, stream, consumer);
  if (answer === 'none') return null;
  if (answer !== 'message') throw answer;
  return lease(nc, msg);
}

/** Acks a delivery whose outcome is already recorded; an unconfirmed ack is logged, not thrown (the record stands). */
export async function settle(q: { log: Logger }, leased: LeasedMessage): Promise<void> {
  await leased.ack().catch((err: unknown) => q.log.warn({ err, subject: leased.msg.subject, seq: leased.streamSeq }, 'ack not confirmed; the outcome is recorded'));
}
