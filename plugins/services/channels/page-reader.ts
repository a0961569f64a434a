// Pages of one channel subject, read by sequence without consuming: the newest first, older ones by cursor, or only new ones.
import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { scanSubject, type StoredMessage } from '../../../core/nats/read-subject.js';

export interface PageSource {
  nc: NatsConnection;
  jsm: JetStreamManager;
  stream: string;
  subject: string;
  fetchTimeoutMs: number;
}

/**
 * Messages of the subject with first <= seq <= last, oldest first. A scan that ends short of `last` is asked once
 * more from where it stopped: right after a cluster moved a stream's leader, a fresh consumer has answered "no more"
 * with messages still ahead of it (the failover run once read 54 of a window's 320), and a page built on that would
 * skip them for good.
 */
async function scanRange(source: PageSource, first: number, last: number): Promise<StoredMessage[]> {
  const out: StoredMessage[] = [];
  for (let from = first; from <= last; ) {
    const { found, pastLast } = await scanOnce(source, from, last);
    out.push(...found);
    if (pastLast || found.length === 0) break;
    from = found[found.length - 1]!.seq + 1;
  }
  return out;
}

/** One scan; pastLast when it saw a message beyond `last`, so nothing in the range can still be ahead of it. */
async function scanOnce(source: PageSource, first: number, last: number): Promise<{ found: StoredMessage[]; pastLast: boolean }> {
  const scan = await scanSubject(source.nc, source.jsm, { stream: source.stream, subject: source.subject, startSeq: first, batch: Math.min(256, last - first + 1), fetchTimeoutMs: source.fetchTimeoutMs });
  const found: StoredMessage[] = [];
  try {
    for await (const message of scan.messages()) {
      if (message.seq > last) return { found, pastLast: true };
      found.push(message);
    }
  } finally {
    scan.close();
  }
  return { found, pastLast: false };
}

/** Whether the subject has a message with first <= seq <= last: one message pulled at most. */
async function anyBetween(source: PageSource, first: number, last: number): Promise<boolean> {
  const scan = await scanSubject(source.nc, source.jsm, { stream: source.stream, subject: source.subject, startSeq: first, batch: 1, headersOnly: true, fetchTimeoutMs: source.fetchTimeoutMs });
  try {
    for await (const message of scan.messages()) return message.seq <= last;
    return false;
  } finally {
    scan.close();
  }
}

/** Keeps the newest messages that fit the byte budget (at least one). */
function newestWithin(messages: StoredMessage[], limit: number, maxBytes: number): StoredMessage[] {
  const out: StoredMessage[] = [];
  let bytes = 0;
  for (let i = messages.length - 1; i >= 0 && out.length < limit; i--) {
    const message = messages[i]!;
    bytes += message.data.length;
    if (out.length > 0 && bytes > maxBytes) break;
    out.push(message);
  }
  return out.reverse();
}

export interface StreamBounds {
  firstSeq: number;
  lastSeq: number;
  /** Messages of this subject in the stream. */
  count: number;
}

/**
 * The newest `limit` messages below `before`. JetStream cannot read backwards, so this reads windows of sequences
 * ending at the upper bound, each 4× wider than the last, until it has enough or reaches the stream's start.
 */
export async function readNewest(source: PageSource, bounds: StreamBounds, options: { limit: number; before?: number; maxBytes: number }): Promise<{ messages: StoredMessage[]; hasOlder: boolean }> {
  const upper = Math.min(options.before !== undefined ? options.before - 1 : bounds.lastSeq, bounds.lastSeq);
  if (bounds.count === 0 || upper < bounds.firstSeq) return { messages: [], hasOlder: false };
  let collected: StoredMessage[] = [];
  let hi = upper;
  let span = options.limit * 2;
  let lo = hi;
  // The subject's count from stream info is only a hint: a cluster node that just took over may report it short, and a
  // page that trusted it stopped early and hid the oldest messages. Only sequences actually scanned decide.
  while (hi >= bounds.firstSeq) {
    lo = Math.max(bounds.firstSeq, hi - span + 1);
    collected = [...(await scanRange(source, lo, hi)), ...collected];
    if (collected.length >= options.limit || lo === bounds.firstSeq) break;
    hi = lo - 1;
    span *= 4;
  }
  const messages = newestWithin(collected, options.limit, options.maxBytes);
  const hasOlder = collected.length > messages.length || (lo > bounds.firstSeq && (collected.length < bounds.count || (await anyBetween(source, bounds.firstSeq, lo - 1))));
  return { messages, hasOlder };
}

/** Up to `limit` messages after `since`, oldest first; hasNewer when more are waiting. */
export async function readSince(source: PageSource, options: { since: number; limit: number; maxBytes: number }): Promise<{ messages: StoredMessage[]; hasNewer: boolean }> {
  // One more than the page: whether it comes is what hasNewer says (the consumer's num_pending is not trusted, see pullBatch).
  const scan = await scanSubject(source.nc, source.jsm, { stream: source.stream, subject: source.subject, startSeq: options.since + 1, batch: Math.min(256, options.limit + 1), fetchTimeoutMs: source.fetchTimeoutMs });
  const messages: StoredMessage[] = [];
  let bytes = 0;
  let hasNewer = false;
  try {
    for await (const message of scan.messages()) {
      if (messages.length >= options.limit || (messages.length > 0 && bytes + message.data.length > options.maxBytes)) {
        hasNewer = true;
        break;
      }
      bytes += message.data.length;
      messages.push(message);
    }
  } finally {
    scan.close();
  }
  return { messages, hasNewer };
}
