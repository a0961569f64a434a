// `loom targets list|show|add|update|remove|spin-up|test`: spin-up targets through weft's REST API.
import type { Command } from 'commander';
import { createApiClient, printJson, printTable, short, withApiOptions, type ApiFlags } from '../api-client.js';
import { EXIT_FAILURE, EXIT_OK, reportAndExit } from '../exit.js';
import { createBody, repeatable, updateBody, wholeNumber, type TargetFlags } from '../target-input.js';

interface TargetView {
  id: string;
  projectId: string;
  name?: string;
  mechanism: string;
  agentType: string;
  capabilities: string[];
  boundaries: string[];
  enabled: boolean;
  maxConcurrent: number;
  cooldownMs: number;
  config: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

interface AttemptView {
  operationId: string;
  targetId?: string;
  outcome: string;
  agentId?: string;
  detail?: string;
  error?: string;
  durationMs?: number;
}

const out = (line: string) => process.stdout.write(`${line}\n`);
/** Runs one command; its answer is the exit code (0 unless the command says the thing it checked did not work). */
const run = (fn: () => Promise<number | void>) => fn().then((code) => process.exit(code ?? EXIT_OK), reportAndExit);
const path = (id: string, suffix = '') => `/api/targets/${encodeURIComponent(id)}${suffix}`;

function showTarget(target: TargetView): void {
  printTable([
    ['id', target.id],
    ['name', target.name ?? target.id],
    ['project', target.projectId],
    ['mechanism', target.mechanism],
    ['agent type', target.agentType],
    ['capabilities', target.capabilities.join(', ')],
    ['boundaries', target.boundaries.join(', ') || 'any'],
    ['enabled', target.enabled ? 'yes' : 'no'],
    ['max concurrent', String(target.maxConcurrent)],
    ['cooldown', `${target.cooldownMs} ms`],
    ['updated', target.updatedAt],
  ]);
  out('config:');
  for (const line of JSON.stringify(target.config, null, 2).split('\n')) out(`  ${line}`);
}

/** The flags `add` and `update` share: each sets one field of the target (over --file). */
function withTargetFlags(command: Command): Command {
  return command
    .option('-f, --file <path>', 'the target as a JSON object ({id, mechanism, agentType, capabilities, config, …}); "-" reads stdin')
    .option('--name <name>', 'display name (also {{targetName}} in templates)')
    .option('-m, --mechanism <mechanism>', 'local, ssh, kubernetes, github-actions, webhook, or a plugin’s')
    .option('-t, --agent-type <type>', 'what the agents it starts are (claude-code, copilot-cli, worker, …)')
    .option('-c, --capability <capability>', 'a capability its agents register with (repeat for several)', repeatable)
    .option('-b, --boundary <boundary>', 'a boundary it may serve (repeat; none = any)', repeatable)
    .option('--max-concurrent <n>', 'agents it may run at once', wholeNumber)
    .option('--cooldown-ms <ms>', 'minimum time between two starts', wholeNumber)
    .option('--enable', 'let weft pick it')
    .option('--disable', 'never pick it')
    .option('--config <json>', 'the mechanism’s settings as a JSON object, or @file.json');
}

export function registerTargetsCommands(program: Command): void {
  const targets = program.command('targets').description('spin-up targets: where weft starts agents (weft REST API)');

  withApiOptions(targets.command('list').description('list the project’s targets')).action((flags: ApiFlags) =>
    run(async () => {
      const page = await createApiClient(flags).request<{ items: TargetView[] }>('GET', '/api/targets');
      if (flags.json) return printJson(page);
      if (!page.items.length) return void out('no targets; add one with "loom targets add <id> --mechanism local …" or declare it in loom.config.ts');
      printTable([
        ['ID', 'MECHANISM', 'AGENT TYPE', 'CAPABILITIES', 'BOUNDARIES', 'MAX', 'COOLDOWN', 'ENABLED'],
        ...page.items.map((t) => [t.id, t.mechanism, t.agentType, short(t.capabilities.join(','), 40), t.boundaries.join(',') || 'any', String(t.maxConcurrent), `${t.cooldownMs}ms`, t.enabled ? 'yes' : 'no']),
      ]);
    }),
  );

  withApiOptions(targets.command('show').description('one target with its mechanism config'))
    .argument('<id>')
    .action((id: string, flags: ApiFlags) =>
      run(async () => {
        const target = await createApiClient(flags).request<TargetView>('GET', path(id));
        if (flags.json) printJson(target);
        else showTarget(target);
      }),
    );

  withTargetFlags(withApiOptions(targets.command('add').description('create a target; weft checks its config with the mechanism’s schema')))
    .argument('[id]', 'the target id (or "id" in --file)')
    .action((id: string | undefined, flags: ApiFlags & TargetFlags) =>
      run(async () => {
        const created = await createApiClient(flags).request<TargetView>('POST', '/api/targets', { body: createBody(id, flags) });
        if (flags.json) printJson(created);
        else out(`target ${created.id} created: ${created.mechanism}, agent type ${created.agentType}, capabilities ${created.capabilities.join(', ')}`);
      }),
    );

  withTargetFlags(withApiOptions(targets.command('update').description('change a target: the fields given (--file, flags) replace the stored ones')))
    .argument('<id>')
    .action((id: string, flags: ApiFlags & TargetFlags) =>
      run(async () => {
        const client = createApiClient(flags);
        const current = await client.request<TargetView>('GET', path(id));
        const updated = await client.request<TargetView>('PUT', path(id), { body: updateBody(id, { ...current }, flags) });
        if (flags.json) printJson(updated);
        else out(`target ${updated.id} updated`);
      }),
    );

  withApiOptions(targets.command('remove').alias('rm').description('delete a target (agents it started are still scaled down)'))
    .argument('<id>')
    .action((id: string, flags: ApiFlags) =>
      run(async () => {
        const answer = await createApiClient(flags).request<{ deleted: string }>('DELETE', path(id));
        if (flags.json) printJson(answer);
        else out(`target ${answer.deleted} removed`);
      }),
    );

  withApiOptions(targets.command('spin-up').description('start an agent on this target now (capacity and cooldown apply); exits 1 unless one started'))
    .argument('<id>')
    .option('-r, --reason <reason>', 'recorded with the attempt')
    .option('--work-id <workId>', 'the work item it is for')
    .action((id: string, flags: ApiFlags & { reason?: string; workId?: string }) =>
      run(async () => {
        const body = { ...(flags.reason ? { reason: flags.reason } : {}), ...(flags.workId ? { workId: flags.workId } : {}) };
        const attempt = await createApiClient(flags).request<AttemptView>('POST', path(id, '/spin-up'), { body });
        if (flags.json) printJson(attempt);
        else {
          const what = attempt.outcome === 'started' ? `agent ${attempt.agentId ?? '(id unknown)'} starting` : attempt.outcome;
          out(`${id}: ${what} (operation ${attempt.operationId}${attempt.durationMs !== undefined ? `, ${attempt.durationMs} ms` : ''})`);
          if (attempt.detail) out(`  ${attempt.detail}`);
          if (attempt.error) out(`  error: ${attempt.error}`);
        }
        return attempt.outcome === 'started' ? EXIT_OK : EXIT_FAILURE;
      }),
    );

  withApiOptions(targets.command('test').description('health-check a target through its mechanism; exits 1 when it is not ok'))
    .argument('<id>')
    .action((id: string, flags: ApiFlags) =>
      run(async () => {
        const result = await createApiClient(flags).request<{ targetId: string; ok: boolean; detail?: string }>('POST', path(id, '/test'), { body: {} });
        if (flags.json) printJson(result);
        else out(`${result.targetId}: ${result.ok ? 'ok' : 'NOT ok'}${result.detail ? ` — ${result.detail}` : ''}`);
        return result.ok ? EXIT_OK : EXIT_FAILURE;
      }),
    );
}
