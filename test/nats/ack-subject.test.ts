// The reply subject of a JetStream delivery: delivery count, stream sequence and store time, in both subject forms.
import { describe, expect, it } from 'vitest';
import { parseAckSubject } from '../../core/nats/ack-subject.js';

// 2026-12-06T12:00:00.123456789Z in nanoseconds.
const NANOS = '1796558400123456789';

describe('parseAckSubject', () => {
  it('reads the 9-token form', () => {
    expect(parseAckSubject(`$JS.ACK.LOOM_P_WORK.work_bench_5.3.41.17.${NANOS}.0`)).toEqual({ deliveryCount: 3, streamSeq: 41, storedAtMs: 1796558400123 });
  });

  it('reads the 12-token form with domain and account hash', () => {
    expect(parseAckSubject(`$JS.ACK.hub.ACCHASH.LOOM_P_WORK.work_bench_5.1.7.2.${NANOS}.5.rnd`)).toEqual({ deliveryCount: 1, streamSeq: 7, storedAtMs: 1796558400123 });
  });

  it('refuses what is not an ack subject', () => {
    for (const reply of ['_INBOX.abc.def', '$JS.ACK.S.C.1.2.3', '$JS.FC.S.C.1.2.3.4.5', `$JS.ACK.S.C.x.2.3.${NANOS}.0`, '$JS.ACK.S.C.1.2.3.12ab.0']) {
      expect(() => parseAckSubject(reply), reply).toThrow(/not a JetStream ack subject/);
    }
  });
});
