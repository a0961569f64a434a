// One no-wait batch pull from a consumer: the messages the server holds now, ended by its status when it had fewer.
import type { MsgHdrs, NatsConnection } from '@nats-io/nats-core';
import { LoomError } from '../errors.js';
import { parseAckSubject } from './ack-subject.js';
import { replyInbox } from './reply-inbox.js';

export interface StoredMessage {
  seq: number;
  subject: string;
  data: Uint8Array;
  time: Date;
  headers: MsgHdrs | undefined;
}

export interface PulledBatch {
  messages: StoredMessage[];
  /** The server said it had no more than these (404/408); false after a full batch, when more may follow. */
  exhausted: boolean;
}

const encoder = new TextEncoder();

/**
 * Asks for up to `batch` messages without waiting for new ones. Unlike a fetch sized from the consumer's num_pending,
 * this never waits for messages that are not there: nats-server 2.9 overcounts num_pending for a wildcard filter that
 * starts inside its range, and a fetch for the phantom rest waited its whole expiry. Each pull has its own
 * subscription, so an answer that comes late can never be taken for the next pull's.
 */
export function pullBatch(nc: NatsConnection, stream: string, consumer: string, batch: number, timeoutMs: number): Promise<PulledBatch> {
  return new Promise<PulledBatch>((resolve, reject) => {
    const messages: StoredMessage[] = [];
    const inbox = replyInbox(nc);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const end = (outcome: PulledBatch | Error) => {
      clearTimeout(timer);
      sub.unsubscribe();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const sub = nc.subscribe(inbox, {
      callback: (err, msg) => {
        if (err) return end(err);
        const code = msg.headers?.code ?? 0;
        if (code === 0 && msg.reply) {
          const { streamSeq, time } = parseAckSubject(msg.reply);
          messages.push({ seq: streamSeq, subject: msg.subject, data: msg.data, time, headers: msg.headers });
          if (messages.length >= batch) end({ messages, exhausted: false });
          return;
        }
        if (code === 404 || code === 408) return end({ messages, exhausted: true });
        const detail = `pull from ${stream}/${consumer} answered ${code} ${msg.headers?.description ?? ''}`.trim();
        // No responders, or a consumer deleted under the read. (A pull to a consumer that never existed goes unanswered: the timeout.)
        if (code === 503 || code === 409) return end(new LoomError('LOOM_ERR_NOT_FOUND', detail, { stream, consumer, code }));
        end(new LoomError('LOOM_ERR_INTERNAL', detail, { stream, consumer, code }));
      },
    });
    timer = setTimeout(() => end(new LoomError('LOOM_ERR_TIMEOUT', `pull from ${stream}/${consumer} got no answer in ${timeoutMs} ms`, { stream, consumer })), timeoutMs);
    nc.publish(`$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}`, encoder.encode(JSON.stringify({ batch, no_wait: true })), { reply: inbox });
  });
}
