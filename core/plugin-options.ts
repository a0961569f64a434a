// Resolves one plugin's options: preset defaults, then config options[name], then the env vars the plugin maps.
import { LoomError } from './errors.js';
import { formatIssues } from './zod-issues.js';
import type { LoomPlugin } from './plugin.js';

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    node = node[part] = typeof next === 'object' && next !== null ? { ...(next as Record<string, unknown>) } : {};
  }
  node[parts[parts.length - 1]!] = value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function resolvePluginOptions(plugin: LoomPlugin, defaults: unknown, fromConfig: unknown, env: Readonly<Record<string, string | undefined>>): unknown {
  if (!plugin.options) {
    if (fromConfig !== undefined) throw new LoomError('LOOM_ERR_INVALID_OPTIONS', `options["${plugin.name}"]: this plugin takes no options`, { plugin: plugin.name, path: `options.${plugin.name}` });
    return undefined;
  }
  const merged: Record<string, unknown> = { ...(isPlainObject(defaults) ? defaults : {}), ...(isPlainObject(fromConfig) ? fromConfig : {}) };
  if (fromConfig !== undefined && !isPlainObject(fromConfig)) {
    throw new LoomError('LOOM_ERR_INVALID_OPTIONS', `options["${plugin.name}"]: expected an object`, { plugin: plugin.name, path: `options.${plugin.name}` });
  }
  for (const [variable, path] of Object.entries(plugin.env ?? {})) {
    const value = env[variable];
    if (value !== undefined && value !== '') setPath(merged, path, value);
  }
  const parsed = plugin.options.safeParse(merged);
  if (!parsed.success) {
    throw new LoomError('LOOM_ERR_INVALID_OPTIONS', `plugin ${plugin.name} › ${formatIssues(parsed.error, `options["${plugin.name}"]`, plugin.options)}`, { plugin: plugin.name, issues: parsed.error.issues });
  }
  return parsed.data;
}
