// Builds a kernel for a preset from loom.config.ts: the preset's plugins plus the config's, minus excluded ones.
import { createKernel, loadConfig, type Kernel, type LoadedConfig } from '../core/index.js';
import { knownPluginNamesFor, loadPreset, type PresetName } from '../presets/index.js';
import { mapLegacyConfig } from './legacy-config.js';

export interface RuntimeOptions {
  preset: PresetName;
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Loaded already (e.g. by `loom start`, which reads the preset from it). */
  loaded?: LoadedConfig;
}

export async function loadProjectConfig(cwd = process.cwd(), env: Record<string, string | undefined> = process.env): Promise<LoadedConfig> {
  return loadConfig({ cwd, env, legacy: mapLegacyConfig });
}

export async function createPresetKernel(options: RuntimeOptions): Promise<Kernel> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const loaded = options.loaded ?? (await loadProjectConfig(cwd, env));
  const preset = await loadPreset(options.preset);
  const configFile = loaded.filepath ? 'loom.config.ts' : 'config';
  return createKernel({
    config: loaded.config,
    plugins: [
      ...preset.plugins.map((plugin) => ({ plugin, origin: `preset ${preset.name}` })),
      ...loaded.config.plugins.map((plugin, index) => ({ plugin, origin: `${configFile} plugins[${index}]` })),
    ],
    defaults: preset.defaults?.options ?? {},
    knownPluginNames: await knownPluginNamesFor(Object.keys(loaded.config.options), [...preset.plugins, ...loaded.config.plugins].map((plugin) => plugin.name)),
    env,
    cwd,
    name: `loom-${preset.name}`,
  });
}
