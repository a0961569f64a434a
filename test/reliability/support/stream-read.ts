// Reads what a stream really holds, from the test's own connection: every message (or one subject), with its ids.
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';

export interface StoredRecord {
  seq: number;
  subject: string;
  /** The Nats-Msg-Id header the publisher set, if any. */
  msgId: string | undefined;
  json: unknown;
}

/**
 * Every message of a stream (optionally only subjects matching `filter`) in sequence order; [] when the stream does
 * not exist. Reads by sequence with message gets: no consumer, so it works on work-queue streams too.
 */
export async function readStream(nc: NatsConnection, stream: string, filter?: (subject: string) => boolean): Promise<StoredRecord[]> {
  const jsm = await jetstreamManager(nc);
  const info = await jsm.streams.info(stream).catch(() => null);
  if (!info || info.state.messages === 0) return [];
  const out: StoredRecord[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
    const m = await jsm.streams.getMessage(stream, { seq }).catch((err: unknown) => {
      // Deleted (acked from a work queue, removed by limits): a gap, not an error.
      if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.NoMessageFound) return null;
      throw err;
    });
    if (!m || (filter && !filter(m.subject))) continue;
    let json: unknown;
    try {
      json = m.json();
    } catch {
      json = undefined;
    }
    out.push({ seq: m.seq, subject: m.subject, msgId: m.header?.get('Nats-Msg-Id') || undefined, json });
  }
  return out;
}

/** Values that occur more than once. */
export function duplicates<T>(values: Iterable<T>): T[] {
  const seen = new Set<T>();
  const twice = new Set<T>();
  for (const value of values) (seen.has(value) ? twice : seen).add(value);
  return [...twice];
}
