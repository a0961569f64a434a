// `loom warp|pattern|shuttle`: a preset's tools as a stdio MCP server.
import type { Command } from 'commander';
import type { LoadedConfig } from '../../core/index.js';
import { serveKernelOverStdio } from '../../core/mcp/stdio.js';
import { createPresetKernel } from '../runtime.js';
import { version } from '../version.js';
import type { PresetName } from '../../presets/index.js';
import { reportAndExit } from '../exit.js';

export async function serveMcpPreset(preset: PresetName, options: { toolPrefix?: string; loaded?: LoadedConfig } = {}): Promise<void> {
  const kernel = await createPresetKernel({ preset, ...(options.loaded ? { loaded: options.loaded } : {}) });
  await kernel.start();
  kernel.log.info({ projectId: kernel.identity.projectId, agentId: kernel.identity.agentId, tools: kernel.registries.tools.ids().length }, `loom ${preset} serving MCP over stdio`);
  await serveKernelOverStdio(kernel, { name: `loom-${preset}`, version, ...(options.toolPrefix ? { toolPrefix: options.toolPrefix } : {}) });
  await kernel.stop();
}

export function registerMcpCommands(program: Command): void {
  const descriptions: Record<Exclude<PresetName, 'weft'>, string> = {
    warp: 'messaging MCP server over stdio (channels, registry, direct messages, work, dead letters)',
    pattern: 'memory MCP server over stdio (scoped memories with TTLs, recall, search)',
    shuttle: 'orchestration MCP server over stdio (assess, spawn, collect, synthesize)',
  };
  for (const [name, description] of Object.entries(descriptions) as Array<[Exclude<PresetName, 'weft'>, string]>) {
    program
      .command(name)
      .description(description)
      .option('--tool-prefix <prefix>', 'prefix every tool name (for clients that mount many servers)')
      .action(async (opts: { toolPrefix?: string }) => {
        await serveMcpPreset(name, opts).catch(reportAndExit);
        process.exit(0);
      });
  }
}
