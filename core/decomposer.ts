// defineDecomposer: splits a task text into subtasks when the planning agent gave none.
import { definePlugin, type LoomPlugin, type PluginContext } from './plugin.js';

export interface ProposedSubtask {
  id: string;
  title: string;
  instructions: string;
  capability?: string;
  dependsOn: string[];
}

export interface Decomposer {
  readonly id: string;
  /** Returns [] when it has nothing to propose. */
  decompose(task: string): ProposedSubtask[];
}

export function defineDecomposer(def: { name: `decomposer:${string}`; create(ctx: PluginContext<undefined>): Decomposer['decompose'] }): LoomPlugin<undefined> {
  const id = def.name.slice('decomposer:'.length);
  return definePlugin({
    name: def.name,
    setup(ctx) {
      ctx.registries.decomposers.add(id, { id, decompose: def.create(ctx) }, ctx.name);
    },
  });
}
