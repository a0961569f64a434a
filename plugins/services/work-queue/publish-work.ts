// Publishes a work message onto its queue with a JetStream message id, so a duplicate inside the window is dropped.
import { headers } from '@nats-io/transport-node';
import { LoomError, type WorkMessage } from '../../../core/index.js';
import type { QueueContext } from './queue-context.js';
import { sourceOf } from './work-sources.js';
import { publishWithRetry } from '../../../core/nats/publish-retry.js';

const encoder = new TextEncoder();

export interface Published {
  duplicate: boolean;
  seq: number;
}

/** Offers use the work id as message id; releases and retries use a derived id so they are not taken for duplicates. */
export async function publishWork(q: QueueContext, message: WorkMessage, msgId: string): Promise<Published> {
  const names = q.names(message.projectId);
  const source = sourceOf(names, message);
  if (message.scope === 'public') await q.topology.publicWorkStream(names);
  else await q.topology.workStream(names);
  // The consumer exists before the first claim, so nothing offered to a capability nobody claims yet is missed.
  await q.topology.consumer(source.stream, source.consumer, source.subject);
  const data = encoder.encode(JSON.stringify(message));
  const nc = await q.nats.connection();
  const maxPayload = nc.info?.max_payload ?? 1024 * 1024;
  if (data.length + 512 > maxPayload) {
    throw new LoomError('LOOM_ERR_INVALID_INPUT', `work item ${message.workId} is ${data.length} bytes; the NATS server accepts at most ${maxPayload} per message (shorten description or contextData)`, { field: 'contextData', size: data.length, maxPayload });
  }
  const h = headers();
  h.set('Loom-Work-Id', message.workId);
  h.set('Loom-Project-Id', message.projectId);
  if (message.traceparent) h.set('traceparent', message.traceparent);
  const js = await q.nats.jetstream();
  const ack = await publishWithRetry(js, source.subject, data, { msgID: msgId, headers: h, log: q.log });
  return { duplicate: ack.duplicate, seq: ack.seq };
}
