// What JetStream writes into a delivered message's reply subject: its delivery count, sequences and timestamp.

export interface AckSubjectInfo {
  /** 1 on the first delivery (JetStream's num_delivered). */
  deliveryCount: number;
  streamSeq: number;
  /** When the message was stored (milliseconds since the epoch). */
  storedAtMs: number;
}

/**
 * `$JS.ACK.<stream>.<consumer>.<delivered>.<streamSeq>.<consumerSeq>.<ts>.<pending>` (9 tokens) or the v2 form with
 * domain and account hash before the stream (12+ tokens). The pending token is left alone: nats-server 2.9 can
 * overcount it for wildcard filters, so nothing here relies on it.
 */
export function parseAckSubject(reply: string): AckSubjectInfo {
  // Dot positions instead of split(): a read of a thousand messages parses a thousand of these.
  const dots: number[] = [];
  for (let at = reply.indexOf('.'); at !== -1; at = reply.indexOf('.', at + 1)) dots.push(at);
  const tokens = dots.length + 1;
  if (!reply.startsWith('$JS.ACK.') || tokens < 9) throw new Error(`not a JetStream ack subject: ${reply}`);
  const token = (index: number) => reply.slice(dots[index - 1]! + 1, index < dots.length ? dots[index] : undefined);
  const offset = tokens === 9 ? 4 : 6;
  const deliveryCount = Number(token(offset));
  const streamSeq = Number(token(offset + 1));
  const nanos = token(offset + 3);
  if (!Number.isSafeInteger(deliveryCount) || !Number.isSafeInteger(streamSeq) || !/^\d+$/.test(nanos)) throw new Error(`not a JetStream ack subject: ${reply}`);
  // Milliseconds are the nanoseconds without their last six digits: no BigInt per message.
  return { deliveryCount, streamSeq, storedAtMs: nanos.length > 6 ? Number(nanos.slice(0, -6)) : 0 };
}
