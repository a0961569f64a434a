// nats-server 2.9 SIGKILLed while acks stream in can come back with messages its consumer already acked (the ack state
// survived, the delete did not): they are never delivered again yet count as queued. Found by the ack floor, removed.
import { JetStreamApiCodes, JetStreamApiError, type JetStreamManager, type MsgRequest, type NextMsgRequest, type StreamInfo } from '@nats-io/jetstream';
import type { Logger } from '../../../core/index.js';
import { isPermissionViolation } from '../../../core/nats/nats-errors.js';

const notFound = (err: unknown) => {
  if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.NoMessageFound) return null;
  throw err;
};

/**
 * For each consumer of a work-queue stream that accounts for fewer messages than its subject holds, removes the ones at
 * or below its ack floor (every one of those was acked). Returns how many were removed; 0 when the user may not delete.
 */
export async function removeSettledLeftovers(jsm: JetStreamManager, info: StreamInfo, log: Logger): Promise<number> {
  const stream = info.config.name;
  const stored = info.state.subjects ?? {};
  let removed = 0;
  try {
    for await (const consumer of jsm.consumers.list(stream)) {
      const subject = consumer.config.filter_subject;
      if (!subject || (stored[subject] ?? 0) <= consumer.num_pending + consumer.num_ack_pending) continue;
      const floor = consumer.ack_floor.stream_seq;
      for (let seq = info.state.first_seq; seq <= floor; ) {
        // "next message of this subject from seq" (2.9 serves it; getMessage's type only lists seq and last_by_subj).
        const request: NextMsgRequest = { seq, next_by_subj: subject };
        const next = await jsm.streams.getMessage(stream, request as unknown as MsgRequest).catch(notFound);
        if (!next || next.seq > floor) break;
        await jsm.streams.deleteMessage(stream, next.seq, false).catch(notFound);
        removed++;
        seq = next.seq + 1;
      }
    }
  } catch (err) {
    if (!isPermissionViolation(err)) throw err;
    log.debug({ stream }, 'cannot look for settled leftovers with this NATS user');
  }
  if (removed > 0) log.warn({ stream, removed }, 'removed work messages that their consumer had already acked (left behind by a broker crash)');
  return removed;
}
