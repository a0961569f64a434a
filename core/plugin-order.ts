// Validates the plugin list (shape, names, duplicates, dependencies) and orders it so providers set up before users.
import { LoomError } from './errors.js';
import { PLUGIN_NAME_PATTERN, type LoomPlugin } from './plugin.js';

export interface PluginEntry {
  plugin: LoomPlugin;
  /** Where it came from, for duplicate errors: "preset warp", "loom.config.ts plugins[2]". */
  origin: string;
}

export function assertPluginShape(value: unknown, origin: string): asserts value is LoomPlugin {
  const problems: string[] = [];
  if (typeof value !== 'object' || value === null) problems.push('it is not an object');
  else {
    const p = value as Partial<LoomPlugin>;
    if (typeof p.name !== 'string') problems.push('"name" is missing');
    else if (!PLUGIN_NAME_PATTERN.test(p.name)) problems.push(`"name" must be "kind:id" in lowercase (e.g. "spin-up:ssh"), got ${JSON.stringify(p.name)}`);
    if (typeof p.setup !== 'function') problems.push('"setup" must be a function');
    if (p.options !== undefined && typeof (p.options as { safeParse?: unknown }).safeParse !== 'function') problems.push('"options" must be a zod schema');
    if (p.dependsOn !== undefined && !Array.isArray(p.dependsOn)) problems.push('"dependsOn" must be an array of plugin names');
  }
  if (problems.length) {
    const name = typeof value === 'object' && value !== null && typeof (value as LoomPlugin).name === 'string' ? ` "${(value as LoomPlugin).name}"` : '';
    throw new LoomError('LOOM_ERR_MALFORMED_PLUGIN', `plugin${name} from ${origin} is malformed: ${problems.join('; ')}. Create plugins with definePlugin() or a define* helper.`, { origin });
  }
}

/** Removes excluded names, rejects duplicates (showing both origins) and returns the entries in setup order. */
export function orderPlugins(entries: PluginEntry[], exclude: ReadonlyArray<string>, builtInServices: ReadonlySet<string>): PluginEntry[] {
  const byName = new Map<string, PluginEntry>();
  for (const entry of entries) {
    assertPluginShape(entry.plugin, entry.origin);
    if (exclude.includes(entry.plugin.name)) continue;
    const existing = byName.get(entry.plugin.name);
    if (existing) {
      throw new LoomError('LOOM_ERR_DUPLICATE_PLUGIN', `plugin "${entry.plugin.name}" is loaded twice: from ${existing.origin} and from ${entry.origin}. Remove one, or add the name to "exclude".`, { name: entry.plugin.name, origins: [existing.origin, entry.origin] });
    }
    byName.set(entry.plugin.name, entry);
  }
  const providers = new Map<string, string>();
  for (const { plugin } of byName.values()) for (const ref of plugin.provides ?? []) providers.set(ref.id, plugin.name);

  const deps = new Map<string, string[]>();
  for (const { plugin } of byName.values()) {
    const needed: string[] = [];
    for (const dep of plugin.dependsOn ?? []) {
      if (!byName.has(dep)) throw new LoomError('LOOM_ERR_MISSING_DEPENDENCY', `plugin "${plugin.name}" depends on plugin "${dep}", which is not loaded. Add it to "plugins" in loom.config.ts (or remove it from "exclude").`, { plugin: plugin.name, missing: dep });
      needed.push(dep);
    }
    for (const ref of plugin.uses ?? []) {
      if (builtInServices.has(ref.id)) continue;
      const provider = providers.get(ref.id);
      if (!provider) throw new LoomError('LOOM_ERR_MISSING_DEPENDENCY', `plugin "${plugin.name}" uses service "${ref.id}", which no loaded plugin provides. Add the plugin that provides it.`, { plugin: plugin.name, missing: ref.id });
      if (provider !== plugin.name) needed.push(provider);
    }
    deps.set(plugin.name, needed);
  }

  const ordered: PluginEntry[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new LoomError('LOOM_ERR_DEPENDENCY_CYCLE', `plugins depend on each other in a circle: ${[...path, name].join(' → ')}`, { cycle: [...path, name] });
    state.set(name, 'visiting');
    for (const dep of deps.get(name) ?? []) visit(dep, [...path, name]);
    state.set(name, 'done');
    ordered.push(byName.get(name)!);
  };
  for (const name of byName.keys()) visit(name, []);
  return ordered;
}
