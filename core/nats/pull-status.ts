// What the server's answer to a pull request means: a message, "none now", or an error naming the consumer.
import type { Msg } from '@nats-io/nats-core';
import { LoomError } from '../errors.js';

/**
 * 404 (no messages) and 408 (the request's batch or wait ran out) mean nothing more is there now; 503 (no responders)
 * and 409 (consumer deleted, or a limit of it) mean the consumer is gone or refuses; any other status is unexpected.
 * A delivered message has no status and an ack reply subject.
 */
export function pullAnswer(msg: Msg, stream: string, consumer: string): 'message' | 'none' | LoomError {
  // Decided by the reply subject alone, so a delivery's headers (parsed by nats.js on first access) are left for
  // whoever needs them: a status has no reply, flow control a $JS.FC one.
  if (msg.reply?.startsWith('$JS.ACK.')) return 'message';
  const code = msg.headers?.code ?? 0;
  if (code === 404 || code === 408 || code === 0) return 'none';
  const detail = `pull from ${stream}/${consumer} answered ${code} ${msg.headers?.description ?? ''}`.trim();
  if (code === 503 || code === 409) return new LoomError('LOOM_ERR_NOT_FOUND', `${detail}: the consumer is gone`, { stream, consumer, code });
  return new LoomError('LOOM_ERR_INTERNAL', detail, { stream, consumer, code });
}
