// Percentiles, medians and the summary of one measured side (ours or raw) of a round.

/** The p-th percentile (0..100) of the finite values by nearest rank; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  // A NaN compares as neither less nor more, so one left in would scramble the sort (p50 above p95).
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function median(values: readonly number[]): number {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return Number.NaN;
  const sorted = [...finite].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** What one side of a scenario did over all its rounds. Times in ms; CPU in µs per operation. */
export interface Sample {
  ops: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Operations per second of wall time (summed over rounds). */
  throughput: number;
  /** CPU of the measured process (user + system) per operation. */
  cpuUsPerOp: number;
  /** CPU of nats-server per operation, when it was measured. */
  serverCpuUsPerOp?: number;
  /** Highest resident set size of the measured process seen while it ran. */
  peakRssMb: number;
  /** Operations that never finished (a latency of NaN or Infinity); left out of the percentiles. */
  lost?: number;
}

export interface RoundMeasure {
  latenciesMs: number[];
  ops: number;
  wallMs: number;
  cpuUs: number;
  serverCpuUs?: number;
  peakRssBytes: number;
}

export function summarize(rounds: readonly RoundMeasure[]): Sample {
  const latencies = rounds.flatMap((round) => round.latenciesMs);
  const lost = latencies.filter((value) => !Number.isFinite(value)).length;
  const ops = rounds.reduce((sum, round) => sum + round.ops, 0);
  const wallMs = rounds.reduce((sum, round) => sum + round.wallMs, 0);
  const cpuUs = rounds.reduce((sum, round) => sum + round.cpuUs, 0);
  const server = rounds.every((round) => round.serverCpuUs !== undefined) ? rounds.reduce((sum, round) => sum + round.serverCpuUs!, 0) : undefined;
  return {
    ops,
    p50Ms: round3(percentile(latencies, 50)),
    p95Ms: round3(percentile(latencies, 95)),
    p99Ms: round3(percentile(latencies, 99)),
    throughput: Math.round(ops / (wallMs / 1000)),
    cpuUsPerOp: Math.round(cpuUs / Math.max(1, ops)),
    ...(server !== undefined ? { serverCpuUsPerOp: Math.round(server / Math.max(1, ops)) } : {}),
    peakRssMb: Math.round((Math.max(0, ...rounds.map((round) => round.peakRssBytes)) / 1048576) * 10) / 10,
    ...(lost ? { lost } : {}),
  };
}

export const round3 = (value: number): number => (Number.isFinite(value) ? Math.round(value * 1000) / 1000 : value);
