// `npm run bench [-- --quick] [--only a,b] [--rounds n] [--no-build] [--ours-only]`: every scenario against raw nats.js, in one run.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeMachine, extras, markdownTable, textTable } from './lib/report.js';
import { loadAverage } from './lib/probe.js';
import { compare } from './lib/rounds.js';
import type { Row } from './lib/scenario.js';

const USAGE = `usage: npm run bench [-- options]
  --quick            every scenario, small (a smoke test)
  --only a,b         only these scenarios (names as in bench/scenarios/)
  --rounds n         measured rounds per scenario (default 5, 2 with --quick)
  --no-build         skip compiling dist/ first
  --ours-only        skip the raw nats.js side
  --markdown         print the table as markdown
  --out file         where to write the results (default bench/results.json)
  BENCH_DIST=dir     run against another build's dist/; BENCH_PROFILE_DIR=dir: spawned servers write .cpuprofile there`;

const options = {
  help: { type: 'boolean', short: 'h', default: false },
  quick: { type: 'boolean', default: false },
  only: { type: 'string' },
  rounds: { type: 'string' },
  'no-build': { type: 'boolean', default: false },
  out: { type: 'string', default: fileURLToPath(new URL('./results.json', import.meta.url)) },
  markdown: { type: 'boolean', default: false },
  'ours-only': { type: 'boolean', default: false },
} as const;

function parseOptions() {
  try {
    return parseArgs({ options }).values;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    process.exit(2);
  }
}

const values = parseOptions();
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const quick = values.quick ?? false;
const only = values.only ? new Set(values.only.split(',')) : undefined;
const rounds = Number(values.rounds ?? (quick ? 2 : 5));
if (!Number.isInteger(rounds) || rounds < 1) {
  process.stderr.write(`--rounds: must be a whole number of at least 1; got "${values.rounds}"\n${USAGE}\n`);
  process.exit(2);
}
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

if (!values['no-build']) {
  // Spawned `loom` processes run dist/: build it from the current source first.
  log('building dist/ (tsc -p tsconfig.build.json)');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'pipe', cwd: fileURLToPath(new URL('..', import.meta.url)) });
  } catch (err) {
    log(`tsc reported errors (running on the emitted JavaScript): ${(err as { stdout?: Buffer }).stdout?.toString().slice(0, 2000) ?? String(err)}`);
  }
}

// Imported only now: the scenarios load dist/ as they are imported, so they must come after the build.
const { scenarios } = await import('./scenarios/index.js');
const { startFabric } = await import('./lib/fabric.js');
const unknown = only ? [...only].filter((name) => !scenarios.some((s) => s.name === name)) : [];
if (unknown.length) {
  process.stderr.write(`unknown scenario(s): ${unknown.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}\n`);
  process.exit(2);
}

const machine = describeMachine();
log(`${machine.nproc} × ${machine.cpuModel}, node ${machine.node}, ${machine.natsServer}, load ${machine.loadAverageAtStart.join(' ')}${quick ? ' (quick)' : ''}`);
const fabric = await startFabric();
const rows: Row[] = [];
const failures: Array<{ scenario: string; error: string }> = [];
try {
  for (const scenario of scenarios) {
    if (only && !only.has(scenario.name)) continue;
    log(`${scenario.name}: ${scenario.title}`);
    const started = performance.now();
    try {
      const produced = await scenario.run({
        fabric,
        quick,
        rounds,
        size: (full, small) => (quick ? small : full),
        compare: ({ raw, ...comparison }) => compare({ rounds, server: fabric.server, ...comparison, ...(raw && !values['ours-only'] ? { raw } : {}) }),
        log: (message) => log(`  ${scenario.name}: ${message}`),
      });
      rows.push(...produced);
      for (const r of produced) log(`  ${r.operation}: p50 ${r.ours.p50Ms} ms, p95 ${r.ours.p95Ms} ms, ${r.ours.throughput}/s${r.ratio !== undefined ? `, ours/raw ${r.ratio}` : ''}${r.met === false ? '  (target MISSED)' : ''}`);
    } catch (err) {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      failures.push({ scenario: scenario.name, error });
      log(`  ${scenario.name} FAILED: ${error}`);
    }
    log(`  ${scenario.name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
} finally {
  await fabric.stop();
}
machine.loadAverageAtEnd = loadAverage();

writeFileSync(values.out!, `${JSON.stringify({ machine, quick, rounds, rows, failures }, null, 2)}\n`);
process.stdout.write(`\n${values.markdown ? markdownTable(rows) : textTable(rows)}\n\n${extras(rows)}\n`);
process.stdout.write(`\nmachine: ${machine.nproc} × ${machine.cpuModel}, node ${machine.node}, ${machine.natsServer}; load average ${machine.loadAverageAtStart.join(' ')} at start, ${machine.loadAverageAtEnd.join(' ')} at end\n`);
process.stdout.write(`results: ${values.out}\n`);
if (failures.length) {
  process.stdout.write(`FAILED scenarios: ${failures.map((f) => f.scenario).join(', ')}\n`);
  process.exit(1);
}
