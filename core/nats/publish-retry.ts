// JetStream publish that survives a broker restart or failover: retried with the same Nats-Msg-Id, so no duplicate.
import { errors as natsErrors, type MsgHdrs, type Payload } from '@nats-io/nats-core';
import { JetStreamApiError, type JetStreamClient, type PubAck } from '@nats-io/jetstream';
import { LoomError } from '../errors.js';
import type { Logger } from '../log.js';

export interface PublishRetryOptions {
  /** The JetStream message id: the stream's duplicate window drops a retry of a publish that was stored after all. */
  msgID: string;
  headers?: MsgHdrs;
  /** Give up (and throw) after this long; keep it well inside the stream's duplicate window (2 min). Default 30 s. */
  deadlineMs?: number;
  /** How long one attempt waits for its ack. Default 5 s. */
  attemptTimeoutMs?: number;
  log?: Logger;
}

const DEFAULT_DEADLINE_MS = 30_000;
const DEFAULT_ATTEMPT_MS = 5_000;

/**
 * A failure that says nothing about whether the message was stored and may pass: no ack in time, no JetStream
 * responder yet (a restarted server recovering its streams), or a clustered stream electing a leader (503).
 */
export function isTransientPublishError(err: unknown): boolean {
  if (err instanceof natsErrors.TimeoutError || err instanceof natsErrors.NoRespondersError) return true;
  if (err instanceof natsErrors.RequestError) return err.isNoResponders();
  // nats.js turns "no responders" on a publish into JetStreamNotEnabled; the account-level refusal carries an API error.
  // (JetStreamNotEnabled is not exported by @nats-io/jetstream, so it is recognised by name.)
  if (err instanceof Error && err.name === 'JetStreamNotEnabled') return !(err.cause instanceof JetStreamApiError);
  if (err instanceof JetStreamApiError) return err.status === 503;
  return false;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Publishes and waits for the stream's ack; a transient failure is logged and retried with the same message id
 * until the deadline, then surfaces as LOOM_ERR_NATS_UNREACHABLE naming the message id. Anything else (too large,
 * no stream for the subject, a permission refusal) is thrown at once.
 */
export async function publishWithRetry(js: JetStreamClient, subject: string, data: Payload, options: PublishRetryOptions): Promise<PubAck> {
  const deadline = Date.now() + (options.deadlineMs ?? DEFAULT_DEADLINE_MS);
  const attemptMs = options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_MS;
  for (let attempt = 1; ; attempt++) {
    const remaining = deadline - Date.now();
    try {
      return await js.publish(subject, data, { msgID: options.msgID, timeout: Math.max(100, Math.min(attemptMs, remaining)), ...(options.headers ? { headers: options.headers } : {}) });
    } catch (err) {
      if (!isTransientPublishError(err)) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      if (Date.now() + 100 >= deadline) {
        throw new LoomError(
          'LOOM_ERR_NATS_UNREACHABLE',
          `publish to ${subject} was not acknowledged after ${attempt} attempts (${reason}); message id ${options.msgID}: publishing again with this id cannot create a duplicate`,
          { subject, messageId: options.msgID, attempts: attempt },
          { cause: err },
        );
      }
      options.log?.warn({ subject, msgID: options.msgID, attempt, reason }, 'publish not acknowledged; retrying with the same message id');
      await sleep(Math.min(2000, 100 * 2 ** (attempt - 1), Math.max(0, deadline - Date.now() - 100)));
    }
  }
}
