// What JetStream writes into a delivered message's reply subject: its delivery count, sequences and timestamp.

export interface AckSubjectInfo {
  /** 1 on the first delivery (JetStream's num_delivered). */
  deliveryCount: number;
  streamSeq: number;
  /** When the message was stored. */
  time: Date;
}

/**
 * `$JS.ACK.<stream>.<consumer>.<delivered>.<streamSeq>.<consumerSeq>.<ts>.<pending>` (9 tokens) or the v2 form with
 * domain and account hash before the stream (12+ tokens). The pending token is left alone: nats-server 2.9 can
 * overcount it for wildcard filters, so nothing here relies on it.
 */
export function parseAckSubject(reply: string): AckSubjectInfo {
  const tokens = reply.split('.');
  if (tokens[0] !== '$JS' || tokens[1] !== 'ACK' || tokens.length < 9) throw new Error(`not a JetStream ack subject: ${reply}`);
  const offset = tokens.length === 9 ? 4 : 6;
  const deliveryCount = Number(tokens[offset]);
  const streamSeq = Number(tokens[offset + 1]);
  const nanos = tokens[offset + 3] ?? '';
  if (!Number.isSafeInteger(deliveryCount) || !Number.isSafeInteger(streamSeq) || !/^\d+$/.test(nanos)) throw new Error(`not a JetStream ack subject: ${reply}`);
  return { deliveryCount, streamSeq, time: new Date(Number(BigInt(nanos) / 1_000_000n)) };
}
