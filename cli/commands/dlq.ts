// `loom dlq list|retry|discard`: dead letters through weft's REST API.
import type { Command } from 'commander';
import { createApiClient, printJson, printTable, short, withApiOptions, type ApiFlags } from '../api-client.js';
import { reportAndExit } from '../exit.js';

interface DeadLetterView {
  deadLetterId: string;
  workId: string;
  capability: string;
  attempt: number;
  reason: string;
  deadLetteredAt: string;
  description: string;
}

const run = (fn: () => Promise<void>) => fn().then(() => process.exit(0), reportAndExit);

export function registerDlqCommands(program: Command): void {
  const dlq = program.command('dlq').description('dead letters: work that ran out of attempts (weft REST API)');

  withApiOptions(dlq.command('list').description('list dead letters'))
    .option('-c, --capability <capability>')
    .option('-n, --limit <n>', 'at most this many', '50')
    .action((flags: ApiFlags & { capability?: string; limit: string }) =>
      run(async () => {
        const page = await createApiClient(flags).request<{ items: DeadLetterView[] }>('GET', '/api/dlq', { query: { capability: flags.capability, limit: flags.limit } });
        if (flags.json) return printJson(page);
        if (!page.items.length) return void process.stdout.write('the dead-letter queue is empty\n');
        printTable([['ID', 'WORK ID', 'CAPABILITY', 'ATTEMPTS', 'WHEN', 'REASON'], ...page.items.map((d) => [d.deadLetterId, d.workId, d.capability, String(d.attempt), d.deadLetteredAt, short(d.reason, 60)])]);
      }),
    );

  withApiOptions(dlq.command('retry').description('put a dead letter back on its queue'))
    .argument('<deadLetterId>')
    .option('--reset-attempts', 'start counting attempts from zero')
    .action((id: string, flags: ApiFlags & { resetAttempts?: boolean }) =>
      run(async () => {
        const answer = await createApiClient(flags).request<{ workId: string }>('POST', `/api/dlq/${encodeURIComponent(id)}/retry`, { body: { resetAttempts: flags.resetAttempts === true } });
        if (flags.json) printJson(answer);
        else process.stdout.write(`work ${answer.workId} is back on its queue\n`);
      }),
    );

  withApiOptions(dlq.command('discard').description('discard a dead letter'))
    .argument('<deadLetterId>')
    .action((id: string, flags: ApiFlags) =>
      run(async () => {
        const answer = await createApiClient(flags).request<{ discarded: string }>('DELETE', `/api/dlq/${encodeURIComponent(id)}`);
        if (flags.json) printJson(answer);
        else process.stdout.write(`dead letter ${answer.discarded} discarded\n`);
      }),
    );
}
