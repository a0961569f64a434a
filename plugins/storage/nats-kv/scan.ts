// Reads the current entries of a NATS KV bucket in one pass over its stream (last message per key), in batches.
import { nanos } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { Bucket, type KV, type KvEntry } from '@nats-io/kv';
import { scanConsumerName } from '../../../core/index.js';

/** Messages per fetch: large enough that 10,000 keys take a few dozen round trips, not 10,000 gets. */
const BATCH = 1000;

/**
 * The last entry (put, delete or purge marker) of every key under the filter, or undefined when the KV object is not
 * the nats.js bucket this reads through (the caller then falls back to a get per key).
 */
export async function scanLastEntries(kv: KV, filter: string): Promise<KvEntry[] | undefined> {
  if (!(kv instanceof Bucket)) return undefined;
  const info = await kv.jsm.consumers.add(kv.stream, {
    // Named, so the filter is part of the request subject: a broker can then allow an agent only its own keys (loom auth).
    name: scanConsumerName(),
    filter_subject: kv.fullKeyName(kv.encodeKey(filter)),
    deliver_policy: DeliverPolicy.LastPerSubject,
    ack_policy: AckPolicy.None,
    mem_storage: true,
    num_replicas: 1,
    inactive_threshold: nanos(30_000),
  });
  try {
    const consumer = kv.js.consumers.getConsumerFromInfo(info);
    const entries: KvEntry[] = [];
    let remaining = info.num_pending;
    while (remaining > 0) {
      const batch = await consumer.fetch({ max_messages: Math.min(BATCH, remaining), expires: 1000 });
      let got = 0;
      for await (const msg of batch) {
        got++;
        remaining--;
        entries.push(kv.jmToWatchEntry(msg, false));
      }
      // Entries that expired while the scan ran are not coming.
      if (got === 0) break;
    }
    return entries;
  } finally {
    await kv.jsm.consumers.delete(kv.stream, info.name).catch(() => undefined);
  }
}
