// defineClassifier: one link of weft's routing chain; the first classifier with an opinion decides.
import type { z } from 'zod';
import { definePlugin, type LoomPlugin, type PluginContext } from './plugin.js';

export interface RoutableWork {
  workId: string;
  projectId: string;
  description: string;
  capability: string;
  boundary?: string;
  priority: number;
  preferredAgentType?: string;
  requiredAgentType?: string;
  paths?: string[];
  contextData?: Record<string, unknown>;
}

export interface RoutingDecision {
  /** Agent types allowed to take the work; empty or absent = any. */
  allowedAgentTypes?: string[];
  /** Agent types to try first among the allowed. */
  preferredAgentTypes?: string[];
  /** A capability the classifier filled in or corrected. */
  capability?: string;
  boundary?: string;
  reason: string;
}

export interface Classifier {
  readonly id: string;
  /** Returns undefined to pass to the next classifier. */
  classify(work: RoutableWork): Promise<RoutingDecision | undefined> | RoutingDecision | undefined;
}

export interface ClassifierDefinition<O> {
  name: `classifier:${string}`;
  options?: z.ZodType<O>;
  env?: Record<string, string>;
  create(ctx: PluginContext<O>): Classifier['classify'];
}

export function defineClassifier<O = undefined>(def: ClassifierDefinition<O>): LoomPlugin<O> {
  const id = def.name.slice('classifier:'.length);
  return definePlugin<O>({
    name: def.name,
    ...(def.options ? { options: def.options } : {}),
    ...(def.env ? { env: def.env } : {}),
    setup(ctx) {
      ctx.registries.classifiers.add(id, { id, classify: def.create(ctx) }, ctx.name);
    },
  });
}
