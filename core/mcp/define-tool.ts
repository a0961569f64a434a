// Tools declared as data (name, title, description, zod input/output, annotations, handler) and tool groups of them.
import type { z } from 'zod';
import { definePlugin, type LoomPlugin, type PluginContext } from '../plugin.js';
import type { ServiceRef } from '../services.js';
import type { Logger } from '../log.js';
import type { Identity } from '../isolation/identity.js';
import type { Names } from '../isolation/names.js';

export interface ToolAnnotations {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** What a handler gets: already bound to the caller's project, identity and services. */
export interface ToolContext {
  readonly projectId: string;
  readonly agentId: string;
  readonly principal: string;
  readonly identity: Identity;
  readonly names: Names;
  readonly log: Logger;
  readonly signal: AbortSignal;
  use<T>(ref: ServiceRef<T>): T;
}

export interface ToolDefinition<I extends z.ZodType, O extends z.ZodType> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations?: ToolAnnotations;
  run(args: { input: z.output<I>; ctx: ToolContext }): Promise<z.input<O>> | z.input<O>;
}

export type AnyToolDefinition = ToolDefinition<z.ZodType, z.ZodType>;

export function defineTool<I extends z.ZodType, O extends z.ZodType>(tool: ToolDefinition<I, O>): AnyToolDefinition {
  return Object.freeze({ ...tool }) as unknown as AnyToolDefinition;
}

export interface ToolGroupDefinition<Opts> {
  name: `tools:${string}`;
  options?: z.ZodType<Opts>;
  env?: Record<string, string>;
  uses?: ReadonlyArray<ServiceRef<any>>;
  dependsOn?: ReadonlyArray<string>;
  /** A list, or a function of the plugin context when tools depend on options. */
  tools: ReadonlyArray<AnyToolDefinition> | ((ctx: PluginContext<Opts>) => ReadonlyArray<AnyToolDefinition>);
  /** Optional extra setup (watches, timers); runs before the tools are registered. */
  setup?(ctx: PluginContext<Opts>): Promise<void> | void;
}

export function defineToolGroup<Opts = undefined>(group: ToolGroupDefinition<Opts>): LoomPlugin<Opts> {
  return definePlugin<Opts>({
    name: group.name,
    ...(group.options ? { options: group.options } : {}),
    ...(group.env ? { env: group.env } : {}),
    ...(group.uses ? { uses: group.uses } : {}),
    ...(group.dependsOn ? { dependsOn: group.dependsOn } : {}),
    async setup(ctx) {
      await group.setup?.(ctx);
      const tools = typeof group.tools === 'function' ? group.tools(ctx) : group.tools;
      for (const tool of tools) ctx.registries.tools.add(tool.name, tool, ctx.name);
    },
  });
}
