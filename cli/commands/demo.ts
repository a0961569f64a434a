// `loom demo`: an end-to-end run on the local fabric a newcomer can watch — weft spins up `loom agent` workers for
// work items and a shuttle orchestration, shows progress, prints the results, and cleans up after itself.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { createLogger } from '../../core/index.js';
import { printTable, short } from '../api-client.js';
import type { DemoReport } from '../demo/run.js';
import { EXIT_FAILURE, reportAndExit } from '../exit.js';

interface DemoFlags {
  json?: boolean;
  idleMs?: number;
  timeoutMs: number;
}

const millis = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 100) throw new InvalidArgumentError('expected milliseconds, at least 100');
  return n;
};

function printReport(report: DemoReport): void {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out();
  out('Work items (POST /api/work → weft → a spun-up `loom agent`):');
  printTable([['WORK', 'CAPABILITY', 'STATE', 'AGENT', 'RESULT'], ...report.work.map((w) => [short(w.workId, 10), w.capability, w.state, short(w.agentId, 10), String(w.result ?? '').trim()])], (line) => out(`  ${line}`));
  out();
  out(`Shuttle orchestration ${report.orchestration.orchestrationId} (${report.orchestration.outcome}):`);
  printTable([['SUBTASK', 'CAPABILITY', 'STATE', 'RESULT'], ...report.orchestration.subtasks.map((s) => [s.id, s.capability, s.state, String(s.result ?? '').trim()])], (line) => out(`  ${line}`));
  out();
  out('Spin-ups (every attempt is recorded by weft):');
  printTable([['OPERATION', 'TARGET', 'OUTCOME', 'AGENT', 'MS', 'TORN DOWN'], ...report.spinUps.map((a) => [a.operationId, a.targetId ?? '-', a.outcome, short(a.agentId, 10), String(a.durationMs ?? '-'), a.stopReason ?? '-'])], (line) => out(`  ${line}`));
  out();
  out(`Dashboard (live while the demo ran): ${report.dashboardUrl}`);
  out(`Cleaned up: ${report.cleanup.agentsScaledDown} agent(s) scaled down by weft when idle, ${report.cleanup.agentsStoppedByDemo} stopped by the demo, ${report.cleanup.streamsDeleted} demo streams deleted; project ${report.projectId} is gone.`);
  out(report.ok ? `loom demo: done in ${(report.durationMs / 1000).toFixed(1)} s` : 'loom demo: finished, but not everything completed (see above)');
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('an end-to-end run on the local fabric: weft spins up `loom agent` workers for work items and a shuttle orchestration, then scales them down and cleans up')
    .option('--json', 'no progress; print one JSON report at the end')
    .option('--idle-ms <ms>', 'how long the demo agents may idle before weft scales them down (default IDLE_TIMEOUT_MS, else 4000)', millis)
    .option('--timeout-ms <ms>', 'give up if the work is not done by then', millis, 120_000)
    .action(async (flags: DemoFlags) => {
      try {
        const env = { ...process.env };
        const idleTimeoutMs = flags.idleMs ?? (env.IDLE_TIMEOUT_MS ? Number(env.IDLE_TIMEOUT_MS) : 4_000);
        const [{ createProgress }, { runDemo }] = await Promise.all([import('../demo/progress.js'), import('../demo/run.js')]);
        const progress = createProgress({ json: flags.json ?? false, tty: Boolean(process.stdout.isTTY) });
        if (!flags.json) process.stdout.write('loom demo: the Loominal fabric on this machine, end to end\n');
        const report = await runDemo({ cwd: process.cwd(), env, log: createLogger({ level: env.LOG_LEVEL ?? 'warn', component: 'loom-demo' }), progress, idleTimeoutMs, timeoutMs: flags.timeoutMs });
        if (flags.json) process.stdout.write(`${JSON.stringify(report)}\n`);
        else printReport(report);
        process.exit(report.ok ? 0 : EXIT_FAILURE);
      } catch (err) {
        reportAndExit(err);
      }
    });
}
