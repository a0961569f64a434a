// One no-wait batch pull from a consumer: the messages the server holds now, ended by its status when it had fewer.
import type { Msg, MsgHdrs, NatsConnection } from '@nats-io/nats-core';
import { LoomError } from '../errors.js';
import { pullNextSubject } from '../isolation/jetstream-names.js';
import { parseAckSubject } from './ack-subject.js';
import { pullAnswer } from './pull-status.js';
import { replyInbox } from './reply-inbox.js';

export interface StoredMessage {
  seq: number;
  subject: string;
  data: Uint8Array;
  time: Date;
  headers: MsgHdrs | undefined;
}

/** A delivery whose headers and time are worked out only when read: a page of a thousand rarely needs either. */
class Delivered implements StoredMessage {
  constructor(
    readonly seq: number,
    private readonly msg: Msg,
    private readonly storedAtMs: number,
  ) {}
  get subject(): string {
    return this.msg.subject;
  }
  get data(): Uint8Array {
    return this.msg.data;
  }
  get headers(): MsgHdrs | undefined {
    return this.msg.headers;
  }
  get time(): Date {
    return new Date(this.storedAtMs);
  }
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
        const answer = pullAnswer(msg, stream, consumer);
        if (answer === 'message') {
          const { streamSeq, storedAtMs } = parseAckSubject(msg.reply!);
          messages.push(new Delivered(streamSeq, msg, storedAtMs));
          if (messages.length >= batch) end({ messages, exhausted: false });
        } else {
          end(answer === 'none' ? { messages, exhausted: true } : answer);
        }
      },
    });
    // A pull to a consumer that never existed goes unanswered: that is what this timeout catches (besides a lost broker).
    timer = setTimeout(() => end(new LoomError('LOOM_ERR_TIMEOUT', `pull from ${stream}/${consumer} got no answer in ${timeoutMs} ms`, { stream, consumer })), timeoutMs);
    nc.publish(pullNextSubject(stream, consumer), encoder.encode(JSON.stringify({ batch, no_wait: true })), { reply: inbox });
  });
}
