// `loom doctor`: is the config valid, is NATS reachable with JetStream, who am I, and what would start.
import type { Command } from 'commander';
import { EXIT_FAILURE, reportAndExit } from '../exit.js';
import { runDoctorChecks, type DoctorReport } from '../doctor-checks.js';

const marks = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;

function render(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((check) => check.name.length));
  const lines = report.checks.map((check) => `  ${marks[check.status]}  ${check.name.padEnd(width)}  ${check.detail}`);
  if (report.wouldStart) {
    lines.push('', 'would start:');
    const { start, up } = report.wouldStart;
    lines.push(start ? `  loom start  → ${start.preset} (${start.plugins.join(', ') || 'no plugins'})` : '  loom start  → nothing (no preset)');
    for (const part of up) lines.push(`  loom up     → ${part}`);
  }
  lines.push('', report.ok ? 'loom doctor: all good' : 'loom doctor: some checks failed');
  return `${lines.join('\n')}\n`;
}

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check the config, NATS (reachable, JetStream, version), identity, and what would start')
    .option('--json', 'print the report as JSON')
    .action(async (options: { json?: boolean }) => {
      const report = await runDoctorChecks(process.cwd(), process.env).catch(reportAndExit);
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : render(report));
      process.exit(report.ok ? 0 : EXIT_FAILURE);
    });
}
