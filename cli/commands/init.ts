// `loom init`: writes a commented starter loom.config.ts and checks that it loads.
import { Option, type Command } from 'commander';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LoomError } from '../../core/index.js';
import { PRESET_NAMES, type PresetName } from '../../presets/index.js';
import { reportAndExit } from '../exit.js';
import { loadProjectConfig } from '../runtime.js';
import { starterConfig } from '../starter-config.js';

interface InitOptions {
  force?: boolean;
  preset: PresetName;
  json?: boolean;
}

export async function runInit(cwd: string, options: InitOptions): Promise<void> {
  const file = join(cwd, 'loom.config.ts');
  if (existsSync(file) && !options.force) {
    throw new LoomError('LOOM_ERR_CONFLICT', `${file} already exists; nothing written. Run "loom init --force" to replace it.`, { file });
  }
  writeFileSync(file, starterConfig(options.preset));
  let loads = true;
  let problem: string | undefined;
  try {
    await loadProjectConfig(cwd, { ...process.env, LOOMINAL_CONFIG: file });
  } catch (err) {
    loads = false;
    problem = err instanceof Error ? err.message : String(err);
  }
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ file, preset: options.preset, loads, ...(problem ? { problem } : {}) })}\n`);
    return;
  }
  process.stdout.write(`wrote ${file} (preset ${options.preset})\n`);
  if (loads) process.stdout.write('it loads; check the whole setup with "loom doctor", then run "loom up"\n');
  else process.stderr.write(`loom: the new config does not load yet: ${problem}\n  If it cannot find 'loominal', install it in this project: npm install --save-dev loominal\n`);
}

export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('write a commented starter loom.config.ts in this directory')
    .option('--force', 'replace an existing loom.config.ts')
    .addOption(new Option('--preset <name>', 'the preset `loom start` runs').choices([...PRESET_NAMES]).default('warp'))
    .option('--json', 'print the result as JSON')
    .action(async (options: InitOptions) => {
      await runInit(process.cwd(), options).catch(reportAndExit);
      process.exit(0);
    });
}
