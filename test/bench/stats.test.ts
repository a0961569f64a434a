// The bench's statistics: an operation that never finished (NaN latency) must not scramble the percentiles.
import { describe, expect, it } from 'vitest';
import { percentile, summarize } from '../../bench/lib/stats.js';
import { row } from '../../bench/lib/scenario.js';

describe('bench statistics', () => {
  it('takes percentiles of the finished operations only', () => {
    const values = [5, Number.NaN, 1, 4, Number.NaN, 2, 3];
    expect(percentile(values, 50)).toBe(3);
    expect(percentile(values, 100)).toBe(5);
    expect(percentile([Number.NaN], 50)).toBeNaN();
  });

  it('counts unfinished operations as lost, and a row with any lost misses its targets', () => {
    const round = { latenciesMs: [1, Number.NaN, 2, 3, Number.POSITIVE_INFINITY], ops: 5, wallMs: 1000, cpuUs: 500, peakRssBytes: 1 };
    const sample = summarize([round]);
    expect(sample.lost).toBe(2);
    expect(sample.p50Ms).toBe(2);
    expect(sample.p95Ms).toBeLessThanOrEqual(sample.p99Ms);
    const measured = row({ scenario: 's', operation: 'op', concurrency: 1, rounds: 1 }, { ours: sample }, [{ metric: 'ours.p95Ms', max: 10 }]);
    expect(measured.met).toBe(false);
    expect(measured.targets.map((target) => target.met)).toEqual([false]);
    const clean = row({ scenario: 's', operation: 'op', concurrency: 1, rounds: 1 }, { ours: summarize([{ ...round, latenciesMs: [1, 2, 3] }]) }, [{ metric: 'ours.p95Ms', max: 10 }]);
    expect(clean.met).toBe(true);
    expect(clean.ours.lost).toBeUndefined();
  });
});
