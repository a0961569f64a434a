// The four distributions, by name, each loaded on demand: `loom warp` never pays for weft's HTTP stack or the
// Kubernetes client. Only the CLI (the composition root) imports this.
import type { Preset } from '../core/index.js';

export const PRESET_NAMES = ['warp', 'pattern', 'shuttle', 'weft'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

const loaders: Readonly<Record<PresetName, () => Promise<Preset>>> = {
  warp: async () => (await import('./warp.js')).warpPreset,
  pattern: async () => (await import('./pattern.js')).patternPreset,
  shuttle: async () => (await import('./shuttle.js')).shuttlePreset,
  weft: async () => (await import('./weft.js')).weftPreset,
};

export function loadPreset(name: PresetName): Promise<Preset> {
  return loaders[name]();
}

export async function loadAllPresets(): Promise<Record<PresetName, Preset>> {
  const loaded = await Promise.all(PRESET_NAMES.map(async (name) => [name, await loadPreset(name)] as const));
  return Object.fromEntries(loaded) as Record<PresetName, Preset>;
}

/** Every plugin name any preset loads, so config options for another preset's plugin are not an error. */
export async function allPresetPluginNames(): Promise<string[]> {
  const all = await loadAllPresets();
  return [...new Set(Object.values(all).flatMap((preset) => preset.plugins.map((plugin) => plugin.name)))];
}

/**
 * What a kernel needs as `knownPluginNames`: nothing extra when every options key names a plugin it loads anyway;
 * otherwise every preset's names, which means loading every preset, a cost paid only by such a config.
 */
export async function knownPluginNamesFor(optionKeys: Iterable<string>, loadedNames: Iterable<string>): Promise<string[]> {
  const loaded = new Set(loadedNames);
  for (const key of optionKeys) if (!loaded.has(key)) return allPresetPluginNames();
  return [];
}
