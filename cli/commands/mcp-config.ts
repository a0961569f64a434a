// `loom mcp-config --client claude|vscode|desktop`: ready-to-paste MCP client configuration for warp, pattern and shuttle.
import { Option, type Command } from 'commander';
import { reportAndExit } from '../exit.js';
import { MCP_CLIENTS, renderClientConfig, serverLaunches, type McpClientKind } from '../mcp-clients.js';
import { loadProjectConfig } from '../runtime.js';

interface McpConfigOptions {
  client: McpClientKind;
  json?: boolean;
  npx?: boolean;
}

export async function runMcpConfig(options: McpConfigOptions): Promise<void> {
  const cwd = process.cwd();
  // Loading validates the config, so a broken one is reported here rather than by the MCP client later.
  const loaded = await loadProjectConfig(cwd, process.env);
  const launches = serverLaunches({ client: options.client, env: process.env, projectDir: cwd, ...(loaded.filepath ? { configFile: loaded.filepath } : {}), ...(options.npx ? { npx: true } : {}) });
  const rendered = renderClientConfig(options.client, launches);
  const out = (text: string) => process.stdout.write(`${text}\n`);
  if (options.json) {
    out(JSON.stringify(rendered.json, null, 2));
    return;
  }
  out(`Paste into ${rendered.file}:`);
  out(JSON.stringify(rendered.json, null, 2));
  if (rendered.commands.length) {
    out('');
    out('or add the servers with:');
    for (const line of rendered.commands) out(line);
  }
}

export function registerMcpConfigCommand(program: Command): void {
  program
    .command('mcp-config')
    .description('print ready-to-paste MCP client configuration for warp, pattern and shuttle')
    .addOption(new Option('--client <client>', 'which MCP client').choices(MCP_CLIENTS).makeOptionMandatory())
    .option('--json', 'print only the JSON (to redirect into the file)')
    .option('--npx', 'launch with "npx loom" (portable; needs loominal installed in the project) instead of absolute paths')
    .action(async (options: McpConfigOptions) => {
      await runMcpConfig(options).catch(reportAndExit);
      process.exit(0);
    });
}
