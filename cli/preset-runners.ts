// What `loom start` runs for each preset; a preset without a runner here cannot be started yet.
import type { LoadedConfig } from '../core/index.js';
import type { PresetName } from '../presets/index.js';
import { serveMcpPreset } from './commands/serve-mcp.js';
import { runWeft } from './commands/weft.js';

export interface PresetRunArgs {
  loaded: LoadedConfig;
  toolPrefix?: string;
}

/** Runs the preset until it is told to stop; resolves when it has stopped cleanly. */
export type PresetRunner = (args: PresetRunArgs) => Promise<void>;

export const presetRunners: Partial<Record<PresetName, PresetRunner>> = {
  warp: (args) => serveMcpPreset('warp', args),
  pattern: (args) => serveMcpPreset('pattern', args),
  shuttle: (args) => serveMcpPreset('shuttle', args),
  weft: (args) => runWeft({ loaded: args.loaded }),
};
