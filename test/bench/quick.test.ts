// `npm run bench -- --quick` end to end, so the bench cannot rot: every scenario runs and reports sane numbers.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'loom-bench-test-'));
const out = join(dir, 'results.json');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Sample {
  ops: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  throughput: number | null;
  cpuUsPerOp: number | null;
  peakRssMb: number | null;
  lost?: number;
}

interface Results {
  machine: { nproc: number; node: string; loadAverageAtStart: number[]; cpuModel: string };
  quick: boolean;
  rows: Array<{ scenario: string; operation: string; ours: Sample; raw?: Sample; ratio?: number; targets: Array<{ metric: string; value: number | null; met: boolean }>; met: boolean | null }>;
  failures: Array<{ scenario: string; error: string }>;
}

/** A measured number is finite and not negative; a field nothing measured is null (NaN in JSON). */
function expectSane(sample: Sample, where: string): void {
  expect(sample.ops, `${where}: ops`).toBeGreaterThan(0);
  for (const key of ['p50Ms', 'p95Ms', 'p99Ms', 'throughput', 'cpuUsPerOp', 'peakRssMb'] as const) {
    const value = sample[key];
    if (value === null) continue;
    expect(Number.isFinite(value) && value >= 0, `${where}: ${key} = ${value}`).toBe(true);
  }
  // Every timed operation finished, and the percentiles are in order (a lost one used to scramble them).
  expect(sample.lost ?? 0, `${where}: operations that never finished`).toBe(0);
  if (sample.p50Ms !== null && sample.p95Ms !== null && sample.p99Ms !== null) {
    expect(sample.p50Ms <= sample.p95Ms && sample.p95Ms <= sample.p99Ms, `${where}: p50 ${sample.p50Ms} ≤ p95 ${sample.p95Ms} ≤ p99 ${sample.p99Ms}`).toBe(true);
  }
}

describe('npm run bench -- --quick', () => {
  it('runs every scenario against its own nats-server and writes results with sane numbers for each', async () => {
    const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--no-build', '--out', out], { cwd: REPO, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, LOG_LEVEL: 'warn' } }).catch(
      (err: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`the quick bench failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
      },
    );
    const results = JSON.parse(readFileSync(out, 'utf8')) as Results;
    expect(results.failures).toEqual([]);
    expect(results.quick).toBe(true);
    expect(results.machine.nproc).toBeGreaterThan(0);
    expect(results.machine.loadAverageAtStart).toHaveLength(3);

    const scenarios = readdirSync(join(REPO, 'bench', 'scenarios')).filter((file) => file.endsWith('.ts') && file !== 'index.ts').map((file) => file.replace(/\.ts$/, ''));
    expect(scenarios.length).toBeGreaterThan(5);
    expect([...new Set(results.rows.map((row) => row.scenario))].sort()).toEqual(scenarios.sort());

    for (const row of results.rows) {
      const where = `${row.scenario} / ${row.operation}`;
      expectSane(row.ours, where);
      if (row.raw) {
        expectSane(row.raw, `${where} (raw)`);
        expect(Number.isFinite(row.ratio) && row.ratio! > 0, `${where}: ratio ${row.ratio}`).toBe(true);
      }
      for (const target of row.targets) expect(Number.isFinite(target.value) && target.value! >= 0, `${where}: ${target.metric} = ${target.value}`).toBe(true);
      expect([true, false, null]).toContain(row.met);
    }
    // The table went to stdout, one line per row.
    for (const row of results.rows) expect(run.stdout).toContain(row.operation);
  }, 600_000);
});
