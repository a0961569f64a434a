// A work queue built with raw nats.js only: a work-queue stream, one durable pull consumer, publish / next / ack.
import { nanos } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, type Consumer } from '@nats-io/jetstream';
import { randomBytes } from 'node:crypto';
import type { Raw } from './fabric.js';

export interface RawQueue {
  stream: string;
  subject: string;
  /** The shared durable consumer (what several workers pull from). */
  consumer(raw: Raw): Promise<Consumer>;
  /** A work message of the same size as ours. */
  payload(workId: string): string;
}

export async function createRawQueue(raw: Raw, label: string): Promise<RawQueue> {
  const id = `${label}_${randomBytes(3).toString('hex')}`.toUpperCase();
  const stream = `BENCH_RAW_${id}`;
  const subject = `bench.raw.${id.toLowerCase()}.work`;
  await raw.jsm.streams.add({ name: stream, subjects: [subject], retention: RetentionPolicy.Workqueue, storage: StorageType.File, duplicate_window: nanos(120_000) });
  await raw.jsm.consumers.add(stream, { durable_name: 'workers', ack_policy: AckPolicy.Explicit, deliver_policy: DeliverPolicy.All, ack_wait: nanos(300_000), max_deliver: 4, max_ack_pending: -1 });
  return {
    stream,
    subject,
    consumer: (r) => r.js.consumers.get(stream, 'workers'),
    payload: (workId) =>
      JSON.stringify({ workId, description: 'bench item', capability: 'bench', priority: 5, offeredBy: 'b'.repeat(32), scope: 'team', projectId: 'bench', offeredAt: new Date().toISOString(), priorAttempts: 0, retries: 0 }),
  };
}
