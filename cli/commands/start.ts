// `loom start`: runs the preset loom.config.ts picks.
import type { Command } from 'commander';
import { LoomError } from '../../core/index.js';
import { reportAndExit } from '../exit.js';
import { presetRunners } from '../preset-runners.js';
import { loadProjectConfig } from '../runtime.js';

export async function runStart(options: { toolPrefix?: string }): Promise<void> {
  const loaded = await loadProjectConfig();
  const preset = loaded.config.preset;
  const where = loaded.filepath ?? 'loom.config.ts (none found)';
  if (!preset) {
    throw new LoomError('LOOM_ERR_CONFIG_INVALID', `${where} › preset: "loom start" needs a preset, e.g. preset: 'warp' (or run "loom warp|pattern|shuttle|weft" directly)`, { path: 'preset' });
  }
  const runner = presetRunners[preset];
  if (!runner) {
    throw new LoomError('LOOM_ERR_UNSUPPORTED', `${preset} is not available yet: this build has no runner for the "${preset}" preset. Pick warp, pattern, shuttle or weft in ${where}.`, { preset });
  }
  await runner({ loaded, ...(options.toolPrefix ? { toolPrefix: options.toolPrefix } : {}) });
}

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run the preset loom.config.ts picks (warp, pattern, shuttle: stdio MCP server; weft: the coordinator service)')
    .option('--tool-prefix <prefix>', 'prefix every tool name (MCP presets)')
    .action(async (options: { toolPrefix?: string }) => {
      await runStart(options).catch(reportAndExit);
      process.exit(0);
    });
}
