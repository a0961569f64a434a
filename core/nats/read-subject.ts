// Reads one subject of a stream by sequence without consuming it: an ephemeral consumer, fetched in batches.
import { AckPolicy, DeliverPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { nanos, nuid, type MsgHdrs } from '@nats-io/nats-core';

export interface StoredMessage {
  seq: number;
  subject: string;
  data: Uint8Array;
  time: Date;
  headers: MsgHdrs | undefined;
}

export interface SubjectScanOptions {
  stream: string;
  subject: string;
  /** First sequence to look at (messages of other subjects are skipped by the server). */
  startSeq: number;
  /** Messages per fetch. */
  batch?: number;
  /** Upper bound of one fetch; a fetch only waits when messages vanish (expire) while the scan runs. */
  fetchTimeoutMs?: number;
}

export interface SubjectScan {
  /** Messages on the subject at or after startSeq when the scan began: the scan never waits for more than these. */
  readonly pending: number;
  /** Yields those messages in sequence order; stop early with `break`. */
  messages(): AsyncGenerator<StoredMessage>;
  /** Removes the ephemeral consumer (it would also vanish by itself after a minute of inactivity). */
  close(): void;
}

export async function scanSubject(js: JetStreamClient, jsm: JetStreamManager, options: SubjectScanOptions): Promise<SubjectScan> {
  const info = await jsm.consumers.add(options.stream, {
    // A name puts the filter into the request subject ($JS.API.CONSUMER.CREATE.<stream>.<name>.<filter>), so a broker
    // that allows each agent only its own inbox subject there (loom auth) can refuse a scan of someone else's inbox.
    name: `scan_${nuid.next()}`,
    filter_subject: options.subject,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: Math.max(1, options.startSeq),
    ack_policy: AckPolicy.None,
    mem_storage: true,
    num_replicas: 1,
    inactive_threshold: nanos(60_000),
  });
  const consumer = js.consumers.getConsumerFromInfo(info);
  const batch = options.batch ?? 256;
  const expires = Math.max(1000, options.fetchTimeoutMs ?? 5000);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    void jsm.consumers.delete(options.stream, info.name).catch(() => undefined);
  };
  return {
    pending: info.num_pending,
    close,
    async *messages() {
      let remaining = info.num_pending;
      while (remaining > 0 && !closed) {
        const iter = await consumer.fetch({ max_messages: Math.min(batch, remaining), expires });
        let got = 0;
        try {
          for await (const m of iter) {
            got++;
            remaining--;
            yield { seq: m.seq, subject: m.subject, data: m.data, time: m.time, headers: m.headers };
          }
        } finally {
          iter.stop();
        }
        // Messages removed by limits while we read: what is left is not coming.
        if (got === 0) break;
      }
    },
  };
}
