// The results table (plain text for the terminal, markdown for docs/performance.md) and the machine it ran on.
import { cpus, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';
import type { Row, TargetOutcome } from './scenario.js';
import { loadAverage } from './probe.js';

export interface Machine {
  nproc: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  natsServer: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
  startedAt: string;
}

export function describeMachine(): Machine {
  let natsServer = 'unknown';
  try {
    natsServer = execFileSync('nats-server', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // reported as unknown
  }
  return {
    nproc: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    natsServer,
    loadAverageAtStart: loadAverage(),
    startedAt: new Date().toISOString(),
  };
}

const num = (value: number | undefined | null, digits = 2): string => (value === undefined || value === null || !Number.isFinite(value) ? '–' : Number(value.toFixed(digits)).toString());

function targetText(target: TargetOutcome): string {
  const bound = target.max !== undefined ? `≤ ${target.max}` : `≥ ${target.min}`;
  return `${target.metric.replace(/^ours\./, '')} ${bound} (${num(target.value)}) ${target.met ? 'ok' : 'MISSED'}`;
}

const columns = ['operation', 'conc', 'p50 ms', 'p95 ms', 'p99 ms', 'ops/s', 'cpu µs/op', 'nats µs/op', 'rss MB', 'raw p50', 'raw p95', 'raw ops/s', 'ops/s ours/raw', 'p50 ours/raw', 'targets'];

function cells(row: Row): string[] {
  const o = row.ours;
  return [
    row.operation,
    String(row.concurrency),
    num(o.p50Ms, 3),
    num(o.p95Ms, 3),
    num(o.p99Ms, 3),
    num(o.throughput, 0),
    num(o.cpuUsPerOp, 0),
    num(o.serverCpuUsPerOp, 0),
    num(o.peakRssMb, 1),
    num(row.raw?.p50Ms, 3),
    num(row.raw?.p95Ms, 3),
    num(row.raw?.throughput, 0),
    num(row.ratio),
    num(row.latencyRatio),
    row.targets.length ? row.targets.map(targetText).join('; ') : '–',
  ];
}

export function markdownTable(rows: Row[]): string {
  const lines = [`| ${columns.join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`];
  for (const r of rows) lines.push(`| ${cells(r).map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`);
  return lines.join('\n');
}

export function textTable(rows: Row[]): string {
  const table = [columns, ...rows.map(cells)];
  const widths = columns.map((_, i) => Math.min(i === 0 ? 48 : 60, Math.max(...table.map((line) => line[i]!.length))));
  return table.map((line) => line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(i === columns.length - 1 ? 0 : widths[i]!))).join('  ')).join('\n');
}

/** Extra measurements and notes, one line each, for what the table has no column for. */
export function extras(rows: Row[]): string {
  return rows
    .flatMap((r) => [
      ...(r.extra ? [`${r.operation}: ${Object.entries(r.extra).map(([key, value]) => `${key}=${typeof value === 'number' ? num(value, 3) : value}`).join(', ')}`] : []),
      ...(r.rawDoes ? [`${r.operation}: raw side = ${r.rawDoes}`] : []),
      ...(r.notes ?? []).map((note) => `${r.operation}: ${note}`),
    ])
    .join('\n');
}
