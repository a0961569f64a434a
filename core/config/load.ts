// Finds loom.config.ts (cosmiconfig; TypeScript through jiti), applies env overrides and validates with the schema.
import { cosmiconfig, type Loader } from 'cosmiconfig';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { LoomError } from '../errors.js';
import { formatIssues } from '../zod-issues.js';
import { configSchema, type LoomConfig, type LoomConfigInput } from './schema.js';
import { applyEnvOverrides } from './env.js';

export interface LoadConfigOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Maps the design's .loominal-config.json onto config keys; the composition root supplies it. */
  legacy?: (legacy: Record<string, unknown>, config: LoomConfigInput) => LoomConfigInput;
}

export interface LoadedConfig {
  config: LoomConfig;
  /** The file it came from; undefined when no file was found (defaults and env only). */
  filepath?: string;
  legacyFile?: string;
}

// jiti loads only when a TypeScript config is found: a process without one (an MCP server in a bare directory) skips it.
const tsLoader: Loader = async (filepath) => {
  const { createJiti } = await import('jiti');
  const jiti = createJiti(import.meta.url, { interopDefault: true, moduleCache: false });
  const mod = await jiti.import<Record<string, unknown>>(filepath);
  return (mod && typeof mod === 'object' && 'default' in mod ? mod.default : mod) as unknown;
};

export const CONFIG_FILES = ['loom.config.ts', 'loom.config.mts', 'loom.config.js', 'loom.config.mjs', '.loomrc.json'];

export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const explorer = cosmiconfig('loom', {
    searchPlaces: CONFIG_FILES,
    searchStrategy: 'project',
    loaders: { '.ts': tsLoader, '.mts': tsLoader },
    cache: false,
  });
  const explicit = options.env.LOOMINAL_CONFIG;
  let found: { config: unknown; filepath: string } | null;
  try {
    found = explicit ? await explorer.load(resolve(options.cwd, explicit)) : await explorer.search(options.cwd);
  } catch (err) {
    const file = explicit ?? 'loom.config.ts';
    throw new LoomError('LOOM_ERR_CONFIG_LOAD', `could not load ${file}: ${err instanceof Error ? err.message : String(err)}`, { file }, { cause: err });
  }
  const where = found ? relative(options.cwd, found.filepath) || found.filepath : 'config';
  let raw: LoomConfigInput = {};
  if (found) {
    if (typeof found.config !== 'object' || found.config === null || Array.isArray(found.config)) {
      throw new LoomError('LOOM_ERR_CONFIG_INVALID', `${where} › (root): expected an object from defineConfig({...})`, { file: found.filepath });
    }
    raw = found.config as LoomConfigInput;
  }
  const legacyFile = join(found ? resolve(found.filepath, '..') : options.cwd, '.loominal-config.json');
  const hasLegacy = options.legacy && existsSync(legacyFile);
  if (hasLegacy) raw = options.legacy!(readLegacy(legacyFile), raw);
  const withEnv = applyEnvOverrides(raw, options.env);
  const parsed = configSchema.safeParse(withEnv);
  if (!parsed.success) {
    throw new LoomError('LOOM_ERR_CONFIG_INVALID', `${where} › ${formatIssues(parsed.error, '', configSchema).replaceAll('; ', `; ${where} › `)}`, { file: found?.filepath, issues: parsed.error.issues });
  }
  const result: LoadedConfig = { config: parsed.data };
  if (found) result.filepath = found.filepath;
  if (hasLegacy) result.legacyFile = legacyFile;
  return result;
}

function readLegacy(file: string): Record<string, unknown> {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    throw new Error('expected a JSON object');
  } catch (err) {
    throw new LoomError('LOOM_ERR_CONFIG_LOAD', `could not read ${file}: ${err instanceof Error ? err.message : String(err)}`, { file });
  }
}

/** Validates an in-memory config the same way (for tests and programmatic use). */
export function parseConfig(input: LoomConfigInput, env: Readonly<Record<string, string | undefined>> = {}, where = 'config'): LoomConfig {
  const parsed = configSchema.safeParse(applyEnvOverrides(input, env));
  if (!parsed.success) throw new LoomError('LOOM_ERR_CONFIG_INVALID', `${where} › ${formatIssues(parsed.error, '', configSchema).replaceAll('; ', `; ${where} › `)}`, { issues: parsed.error.issues });
  return parsed.data;
}
