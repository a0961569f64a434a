// The shape of a scenario and of the rows it reports, with the SPEC §11 targets each row is held to.
import type { Fabric } from './fabric.js';
import type { Sample } from './stats.js';
import type { Comparison, ComparisonResult } from './rounds.js';

/** A target: a metric of the row (`ours.p95Ms`, `ratio`, `extra.rssMb`) at most or at least a limit. */
export interface Target {
  metric: string;
  max?: number;
  min?: number;
}

export interface TargetOutcome extends Target {
  value: number | null;
  met: boolean;
}

export interface Row {
  scenario: string;
  operation: string;
  /** Operations in flight at once (lanes) or workers. */
  concurrency: number;
  rounds: number;
  ours: Sample;
  raw?: Sample;
  /** What the raw side did, in words. */
  rawDoes?: string;
  ratio?: number;
  latencyRatio?: number;
  targets: TargetOutcome[];
  /** Every target met; null when the row has none. */
  met: boolean | null;
  extra?: Record<string, number | string>;
  notes?: string[];
}

export interface ScenarioContext {
  fabric: Fabric;
  quick: boolean;
  /** full in a normal run, quick with --quick. */
  size(full: number, quick: number): number;
  rounds: number;
  /** Alternating rounds with the run's round count and nats-server probe (raw left out with --ours-only, for profiling). */
  compare(comparison: Omit<Comparison, 'rounds' | 'server'> & { rounds?: number }): Promise<ComparisonResult>;
  log(message: string): void;
}

export interface Scenario {
  /** kebab-case, the file name. */
  name: string;
  title: string;
  run(ctx: ScenarioContext): Promise<Row[]>;
}

function read(row: Omit<Row, 'targets' | 'met'>, metric: string): number | null {
  let value: unknown = row;
  for (const part of metric.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Builds a row from a comparison and checks its targets. */
export function row(base: { scenario: string; operation: string; concurrency: number; rounds: number; rawDoes?: string; extra?: Record<string, number | string>; notes?: string[] }, result: ComparisonResult, targets: Target[] = []): Row {
  const partial = { ...base, ...result };
  const lost = (result.ours.lost ?? 0) + (result.raw?.lost ?? 0);
  if (lost) partial.notes = [...(partial.notes ?? []), `${lost} operations never finished (left out of the percentiles; the row misses its targets)`];
  const outcomes = targets.map((target) => {
    const value = read(partial, target.metric);
    const met = !lost && value !== null && (target.max === undefined || value <= target.max) && (target.min === undefined || value >= target.min);
    return { ...target, value, met };
  });
  return { ...partial, targets: outcomes, met: outcomes.length ? outcomes.every((outcome) => outcome.met) : null };
}

/** A row for a single measured value (start-up time, resident memory) with no raw side. */
export function valueRow(base: { scenario: string; operation: string; extra?: Record<string, number | string>; notes?: string[] }, sample: Partial<Sample> & Pick<Sample, 'ops'>, targets: Target[] = []): Row {
  const full: Sample = { p50Ms: Number.NaN, p95Ms: Number.NaN, p99Ms: Number.NaN, throughput: Number.NaN, cpuUsPerOp: Number.NaN, peakRssMb: Number.NaN, ...sample };
  return row({ ...base, concurrency: 1, rounds: 1 }, { ours: full }, targets);
}
