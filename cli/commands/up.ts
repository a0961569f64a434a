// `loom up`: runs the local fabric (NATS, then weft) until Ctrl-C or SIGTERM, then stops what it started.
import type { Command } from 'commander';
import { createLogger } from '../../core/index.js';
import { reportAndExit } from '../exit.js';
import { fabricParts, type FabricContext, type RunningPart } from '../fabric.js';
import { renderClientConfig, serverLaunches } from '../mcp-clients.js';
import { loadProjectConfig } from '../runtime.js';
import { waitForShutdownSignal } from '../signals.js';

interface UpOptions {
  json?: boolean;
}

async function stopAll(running: RunningPart[], ctx: FabricContext): Promise<void> {
  for (const part of [...running].reverse()) {
    await part.stop().catch((err: unknown) => ctx.log.error({ err, part: part.name }, 'part failed to stop cleanly'));
  }
}

export async function runUp(options: UpOptions): Promise<void> {
  const cwd = process.cwd();
  const env = process.env;
  const loaded = await loadProjectConfig(cwd, env);
  const ctx: FabricContext = { cwd, env, loaded, log: createLogger({ level: loaded.config.logLevel, component: 'loom-up' }) };
  const stopping = waitForShutdownSignal();
  const running: RunningPart[] = [];
  try {
    for (const part of fabricParts) running.push(await part.start(ctx));
  } catch (err) {
    await stopAll(running, ctx);
    throw err;
  }
  const rendered = renderClientConfig('claude', serverLaunches({ client: 'claude', env, projectDir: cwd, ...(loaded.filepath ? { configFile: loaded.filepath } : {}) }));
  const out = (text: string) => process.stdout.write(`${text}\n`);
  if (options.json) {
    out(JSON.stringify({ running: Object.fromEntries(running.map((part) => [part.name, part.summary])), mcp: rendered.json }));
  } else {
    out('loom up: the Loominal fabric is running');
    for (const part of running) out(`  ${part.line}`);
    out('');
    out(`MCP servers for Claude Code (${rendered.file}; "loom mcp-config --client vscode|desktop" for other clients):`);
    out(JSON.stringify(rendered.json, null, 2));
    out('');
    out('or add them with:');
    for (const line of rendered.commands) out(`  ${line}`);
    out('');
    out('Press Ctrl-C to stop.');
  }
  const signal = await stopping;
  if (!options.json) out(`\nloom up: ${signal} received, stopping…`);
  await stopAll(running, ctx);
  out(options.json ? JSON.stringify({ stopped: true, signal }) : 'loom up: stopped');
}

export function registerUpCommand(program: Command): void {
  program
    .command('up')
    .description('run the local fabric: NATS with JetStream (reused or started) and weft, and print the MCP client config')
    .option('--json', 'print one JSON line when running and one when stopped')
    .action(async (options: UpOptions) => {
      await runUp(options).catch(reportAndExit);
      process.exit(0);
    });
}
