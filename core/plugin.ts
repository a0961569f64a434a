// The one plugin shape, and definePlugin: a plain object with a kind:id name, an options schema and an async setup.
import { z } from 'zod';
import type { Logger } from './log.js';
import type { PluginHooks } from './hooks.js';
import type { ServiceRef } from './services.js';
import type { Identity } from './isolation/identity.js';
import type { Names } from './isolation/names.js';
import type { KernelRegistries } from './registries.js';
import type { LoomConfig } from './config/schema.js';

export const PLUGIN_NAME_PATTERN = /^[a-z][a-z0-9-]*:[a-z0-9][a-z0-9._-]*$/;

export interface PluginContext<O = unknown> {
  /** This plugin's name, e.g. "spin-up:ssh". */
  readonly name: string;
  /** Validated options: defaults, then loom.config.ts `options[name]`, then the plugin's env vars. */
  readonly options: O;
  readonly log: Logger;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly identity: Identity;
  readonly names: Names;
  readonly config: LoomConfig;
  readonly hooks: PluginHooks;
  readonly registries: KernelRegistries;
  provide<T>(ref: ServiceRef<T>, impl: T): void;
  use<T>(ref: ServiceRef<T>): T;
  /** Runs when the kernel stops, in reverse order of registration. */
  onStop(fn: () => Promise<void> | void): void;
}

export interface LoomPlugin<O = any> {
  /** `kind:id`, unique within a kernel. */
  readonly name: string;
  readonly options?: z.ZodType<O>;
  /** Environment variables that override an option: { API_PORT: 'port' }. Values are strings; use z.coerce in the schema. */
  readonly env?: Readonly<Record<string, string>>;
  /** Services this plugin provides; the loader sets up providers before their users. */
  readonly provides?: ReadonlyArray<ServiceRef<any>>;
  /** Services this plugin needs; a missing provider is LOOM_ERR_MISSING_DEPENDENCY. */
  readonly uses?: ReadonlyArray<ServiceRef<any>>;
  /** Plugins (by name) that must be loaded and set up first. */
  readonly dependsOn?: ReadonlyArray<string>;
  setup(ctx: PluginContext<O>): Promise<void> | void;
}

export function definePlugin<O = undefined>(plugin: LoomPlugin<O>): LoomPlugin<O> {
  return Object.freeze({ ...plugin });
}

/** A preset is nothing but a named list of plugins and default options. */
export interface Preset {
  readonly name: string;
  readonly description: string;
  readonly plugins: ReadonlyArray<LoomPlugin>;
  readonly defaults?: { readonly options?: Readonly<Record<string, unknown>> };
}

export function definePreset(preset: Preset): Preset {
  return Object.freeze({ ...preset });
}
