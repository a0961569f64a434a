// Reads one subject of a stream by sequence without consuming it: an ephemeral consumer, pulled in no-wait batches.
import { AckPolicy, DeliverPolicy, type JetStreamManager } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/nats-core';
import { scanConsumerName } from '../isolation/jetstream-names.js';
import { pullBatch, type StoredMessage } from './pull-batch.js';

export type { StoredMessage } from './pull-batch.js';

export interface SubjectScanOptions {
  stream: string;
  subject: string;
  /** First sequence to look at (messages of other subjects are skipped by the server). */
  startSeq: number;
  /** Messages per pull. */
  batch?: number;
  /** Only headers (and Nats-Msg-Size) are delivered: for counting. */
  headersOnly?: boolean;
  /** Upper bound of one pull's answer; the server answers a no-wait pull at once, so this only catches a lost broker. */
  fetchTimeoutMs?: number;
}

export interface SubjectScan {
  /** Yields the subject's messages from startSeq on, in sequence order, until none are left; stop early with `break`. */
  messages(): AsyncGenerator<StoredMessage>;
  /** Whether a message follows the last one yielded: known from the batch in hand (it holds more, or the server said
   *  it had no more), else asked with a pull of one, so that a stop on a batch's last message costs one body at most. */
  more(): Promise<boolean>;
  /** Removes the ephemeral consumer (it would also vanish by itself after a minute of inactivity). */
  close(): void;
}

export async function scanSubject(nc: NatsConnection, jsm: JetStreamManager, options: SubjectScanOptions): Promise<SubjectScan> {
  const info = await jsm.consumers.add(options.stream, {
    // A name puts the filter into the request subject ($JS.API.CONSUMER.CREATE.<stream>.<name>.<filter>), so a broker
    // that allows each agent only its own inbox subject there (loom auth) can refuse a scan of someone else's inbox.
    name: scanConsumerName(),
    filter_subject: options.subject,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: Math.max(1, options.startSeq),
    ack_policy: AckPolicy.None,
    mem_storage: true,
    num_replicas: 1,
    inactive_threshold: nanos(60_000),
    ...(options.headersOnly ? { headers_only: true } : {}),
  });
  const batch = options.batch ?? 256;
  const timeoutMs = Math.max(1000, options.fetchTimeoutMs ?? 5000);
  let closed = false;
  let known: boolean | undefined;
  const close = () => {
    if (closed) return;
    closed = true;
    void jsm.consumers.delete(options.stream, info.name).catch(() => undefined);
  };
  return {
    close,
    async more() {
      return known ?? (await pullBatch(nc, options.stream, info.name, 1, timeoutMs)).messages.length > 0;
    },
    async *messages() {
      // The consumer's num_pending is not used to size or end the reads: see pullBatch.
      while (!closed) {
        const pulled = await pullBatch(nc, options.stream, info.name, batch, timeoutMs);
        const last = pulled.messages.length - 1;
        for (const [index, message] of pulled.messages.entries()) {
          known = index < last ? true : pulled.exhausted ? false : undefined;
          yield message;
        }
        if (pulled.exhausted) break;
      }
    },
  };
}

/** How many messages of the subject from startSeq on are not in `except`: a headers-only scan, no bodies moved. */
export async function countSubject(nc: NatsConnection, jsm: JetStreamManager, options: Omit<SubjectScanOptions, 'headersOnly' | 'batch'> & { except?: ReadonlySet<number> }): Promise<number> {
  const scan = await scanSubject(nc, jsm, { ...options, headersOnly: true, batch: 1024 });
  let count = 0;
  try {
    for await (const message of scan.messages()) if (!options.except?.has(message.seq)) count++;
  } finally {
    scan.close();
  }
  return count;
}
