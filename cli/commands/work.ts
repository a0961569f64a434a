// `loom work submit|list|show|cancel`: work items through weft's REST API.
import type { Command } from 'commander';
import { LoomError } from '../../core/index.js';
import { createApiClient, printJson, printTable, short, withApiOptions, type ApiFlags } from '../api-client.js';
import { reportAndExit } from '../exit.js';

interface WorkView {
  workId: string;
  state: string;
  capability: string;
  agentId?: string;
  description: string;
  createdAt: string;
  result?: unknown;
  error?: string;
  decision?: { classifier: string; reason: string };
  history: Array<{ state: string; at: string; agentId?: string; note?: string }>;
}

const run = (fn: () => Promise<void>) => fn().then(() => process.exit(0), reportAndExit);
const out = (line: string) => process.stdout.write(`${line}\n`);

function parseJsonFlag(value: string | undefined, flag: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new LoomError('LOOM_ERR_INVALID_INPUT', `${flag}: expected a JSON object`, { field: flag });
}

function showWork(work: WorkView): void {
  out(`${work.workId}  ${work.state}  ${work.capability}${work.agentId ? `  agent ${work.agentId}` : ''}`);
  out(`  ${work.description}`);
  if (work.decision) out(`  routed by ${work.decision.classifier}: ${work.decision.reason}`);
  if (work.result !== undefined) out(`  result: ${JSON.stringify(work.result)}`);
  if (work.error) out(`  error: ${work.error}`);
  for (const entry of work.history) out(`  ${entry.at}  ${entry.state.padEnd(11)} ${entry.agentId ? `${entry.agentId.slice(0, 12)} ` : ''}${entry.note ?? ''}`);
}

export function registerWorkCommands(program: Command): void {
  const work = program.command('work').description('submit, list, show and cancel work items (weft REST API)');

  withApiOptions(work.command('submit').description('submit a work item; weft routes it and puts it on its capability queue'))
    .argument('<description...>', 'what to do')
    .requiredOption('-c, --capability <capability>', 'the capability (queue) that does this work')
    .option('-b, --boundary <boundary>', 'corporate, corporate-adjacent, personal or open-source')
    .option('-p, --priority <n>', 'priority 1-10 (default 5)')
    .option('--task-id <id>', 'your own id for the task')
    .option('--deadline <iso>', 'ISO date-time')
    .option('--preferred-agent-type <type>')
    .option('--required-agent-type <type>')
    .option('--context <json>', 'context data (a JSON object)')
    .option('--path <path...>', 'files the work touches (path-glob boundaries match them)')
    .action((description: string[], flags: ApiFlags & Record<string, string | string[] | undefined>) =>
      run(async () => {
        const priority = flags.priority === undefined ? undefined : Number(flags.priority);
        if (priority !== undefined && !Number.isInteger(priority)) throw new LoomError('LOOM_ERR_INVALID_INPUT', `--priority: expected a whole number 1-10, got "${String(flags.priority)}"`, { field: 'priority' });
        const context = parseJsonFlag(flags.context as string | undefined, '--context');
        const body = Object.fromEntries(
          Object.entries({
            description: description.join(' '),
            capability: flags.capability,
            boundary: flags.boundary,
            priority,
            taskId: flags.taskId,
            deadline: flags.deadline,
            preferredAgentType: flags.preferredAgentType,
            requiredAgentType: flags.requiredAgentType,
            contextData: context,
            paths: flags.path,
          }).filter(([, value]) => value !== undefined),
        );
        const created = await createApiClient(flags).request<WorkView>('POST', '/api/work', { body });
        if (flags.json) printJson(created);
        else showWork(created);
      }),
    );

  withApiOptions(work.command('list').description('list work items, newest first'))
    .option('-s, --state <state>', 'pending, assigned, in-progress, completed, failed or cancelled')
    .option('-c, --capability <capability>')
    .option('-n, --limit <n>', 'at most this many', '50')
    .action((flags: ApiFlags & { state?: string; capability?: string; limit: string }) =>
      run(async () => {
        const page = await createApiClient(flags).request<{ items: WorkView[]; nextCursor?: string }>('GET', '/api/work', { query: { state: flags.state, capability: flags.capability, limit: flags.limit } });
        if (flags.json) return printJson(page);
        if (!page.items.length) return void out('no work items');
        printTable([['WORK ID', 'STATE', 'CAPABILITY', 'AGENT', 'CREATED', 'DESCRIPTION'], ...page.items.map((w) => [w.workId, w.state, w.capability, w.agentId?.slice(0, 12) ?? '', w.createdAt, short(w.description)])]);
      }),
    );

  withApiOptions(work.command('show').description('one work item with its routing decision and state history'))
    .argument('<workId>')
    .action((workId: string, flags: ApiFlags) =>
      run(async () => {
        const found = await createApiClient(flags).request<WorkView>('GET', `/api/work/${encodeURIComponent(workId)}`);
        if (flags.json) printJson(found);
        else showWork(found);
      }),
    );

  withApiOptions(work.command('cancel').description('cancel a work item that has not finished'))
    .argument('<workId>')
    .option('-r, --reason <reason>')
    .action((workId: string, flags: ApiFlags & { reason?: string }) =>
      run(async () => {
        const cancelled = await createApiClient(flags).request<WorkView>('POST', `/api/work/${encodeURIComponent(workId)}/cancel`, { body: flags.reason ? { reason: flags.reason } : {} });
        if (flags.json) printJson(cancelled);
        else out(`${cancelled.workId} cancelled`);
      }),
    );
}
