// Alternating rounds: our layer and raw nats.js do the same work in turns, so load on the machine hits both alike.
import { median, summarize, type RoundMeasure, type Sample } from './stats.js';
import { sampleRss, selfProbe, type ProcessProbe } from './probe.js';

/** What a side does in one round: returns each operation's latency (ms) and how many operations it did. */
export type RoundWork = (round: number) => Promise<{ latenciesMs: number[]; ops: number }>;

export interface Side {
  run: RoundWork;
  /** The process whose CPU and memory count (default: this one). */
  probe?: ProcessProbe;
  /** Untimed work before each round (preloading items, say). */
  prepare?(round: number): Promise<void>;
}

export interface Comparison {
  ours: Side;
  raw?: Side;
  rounds: number;
  /** nats-server, so its CPU per operation is reported too. */
  server?: ProcessProbe;
  /** Rounds run first and thrown away (JIT, stream creation, connections). Default 1. */
  warmupRounds?: number;
}

export interface ComparisonResult {
  ours: Sample;
  raw?: Sample;
  /** Median over rounds of ours ÷ raw throughput (1 = as fast as raw nats.js). */
  ratio?: number;
  /** Median over rounds of ours ÷ raw p50 latency (1 = as fast as raw nats.js; 2 = twice the latency). */
  latencyRatio?: number;
}

async function measure(side: Side, round: number, server: ProcessProbe | undefined): Promise<RoundMeasure> {
  await side.prepare?.(round);
  const probe = side.probe ?? selfProbe;
  const rss = sampleRss(probe);
  const cpu0 = probe.cpuUs();
  const server0 = server?.cpuUs();
  const t0 = performance.now();
  const { latenciesMs, ops } = await side.run(round);
  const wallMs = performance.now() - t0;
  const cpuUs = probe.cpuUs() - cpu0;
  const serverCpuUs = server && server0 !== undefined ? server.cpuUs() - server0 : undefined;
  return { latenciesMs, ops, wallMs, cpuUs, ...(serverCpuUs !== undefined ? { serverCpuUs } : {}), peakRssBytes: rss.stop() };
}

export async function compare(c: Comparison): Promise<ComparisonResult> {
  const ours: RoundMeasure[] = [];
  const raw: RoundMeasure[] = [];
  const warmup = c.warmupRounds ?? 1;
  for (let round = 0; round < warmup + c.rounds; round++) {
    // Alternate who goes first, so neither side always runs on a cooler (or hotter) machine.
    const order: Array<['ours' | 'raw', Side]> = [['ours', c.ours]];
    if (c.raw) order[round % 2 ? 'unshift' : 'push'](['raw', c.raw]);
    for (const [name, side] of order) {
      const measured = await measure(side, round, c.server);
      if (round >= warmup) (name === 'ours' ? ours : raw).push(measured);
    }
  }
  const result: ComparisonResult = { ours: summarize(ours) };
  if (c.raw) {
    result.raw = summarize(raw);
    const throughput = (m: RoundMeasure) => m.ops / m.wallMs;
    const p50 = (m: RoundMeasure) => summarize([m]).p50Ms;
    result.ratio = round2(median(ours.map((m, i) => throughput(m) / throughput(raw[i]!))));
    result.latencyRatio = round2(median(ours.map((m, i) => p50(m) / p50(raw[i]!))));
  }
  return result;
}

/** `ops` operations over `concurrency` lanes, each lane one after another; the latency of each operation. */
export async function lanes(ops: number, concurrency: number, op: (index: number, lane: number) => Promise<unknown>): Promise<{ latenciesMs: number[]; ops: number }> {
  const latenciesMs: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, ops) }, async (_, lane) => {
      while (next < ops) {
        const index = next++;
        const t0 = performance.now();
        await op(index, lane);
        latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  return { latenciesMs, ops };
}

/** Like lanes, for operations that measure their own latency (e.g. from an offer to the claimer having it). */
export async function timedLanes(ops: number, concurrency: number, op: (index: number, lane: number) => Promise<number>): Promise<{ latenciesMs: number[]; ops: number }> {
  const latenciesMs: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, ops) }, async (_, lane) => {
      while (next < ops) latenciesMs.push(await op(next++, lane));
    }),
  );
  return { latenciesMs, ops };
}

export const round2 = (value: number): number => (Number.isFinite(value) ? Math.round(value * 100) / 100 : value);
