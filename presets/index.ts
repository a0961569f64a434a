// The four distributions, by name. Only the CLI (the composition root) imports this.
import type { Preset } from '../core/index.js';
import { warpPreset } from './warp.js';
import { patternPreset } from './pattern.js';
import { shuttlePreset } from './shuttle.js';
import { weftPreset } from './weft.js';

export const presets: Readonly<Record<'warp' | 'pattern' | 'shuttle' | 'weft', Preset>> = {
  warp: warpPreset,
  pattern: patternPreset,
  shuttle: shuttlePreset,
  weft: weftPreset,
};

export type PresetName = keyof typeof presets;

/** Every plugin name any preset loads, so config options for another preset's plugin are not an error. */
export function allPresetPluginNames(): string[] {
  return [...new Set(Object.values(presets).flatMap((preset) => preset.plugins.map((plugin) => plugin.name)))];
}
