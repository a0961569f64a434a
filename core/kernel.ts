// createKernel: validate → order → set up plugins → start; stop in reverse. Knows no plugin by name.
import { LoomError, toLoomError } from './errors.js';
import { createHooks, type Hooks } from './hooks.js';
import { createLogger, type Logger } from './log.js';
import { deriveIdentity, type Identity } from './isolation/identity.js';
import { createNames, type Names } from './isolation/names.js';
import { createRegistries, type KernelRegistries } from './registries.js';
import type { ServiceRef } from './services.js';
import type { LoomConfig } from './config/schema.js';
import type { PluginContext } from './plugin.js';
import { orderPlugins, type PluginEntry } from './plugin-order.js';
import { resolvePluginOptions } from './plugin-options.js';
import { createNatsService, natsService } from './nats/connection.js';
import { storageService, type StorageService } from './storage-plugin.js';
import type { StorageBackend } from './storage.js';

export interface KernelOptions {
  config: LoomConfig;
  plugins: PluginEntry[];
  /** Default options per plugin name (from the preset); config.options and env override them. */
  defaults?: Readonly<Record<string, unknown>>;
  /** Every plugin name the composition root knows, so options for a plugin of another preset are not an error. */
  knownPluginNames?: ReadonlyArray<string>;
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  log?: Logger;
  /** Name of this process for NATS (shows in server connection lists). */
  name?: string;
}

export interface Kernel {
  readonly identity: Identity;
  readonly names: Names;
  readonly config: LoomConfig;
  readonly log: Logger;
  readonly hooks: Hooks;
  readonly registries: KernelRegistries;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Plugin names in setup order. */
  readonly plugins: ReadonlyArray<string>;
  use<T>(ref: ServiceRef<T>): T;
  has(ref: ServiceRef<unknown>): boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createKernel(options: KernelOptions): Kernel {
  const env = options.env ?? process.env;
  const { config } = options;
  const identity = deriveIdentity({ env, cwd: options.cwd ?? process.cwd(), ...(config.project ? { configProject: config.project } : {}) });
  const log = options.log ?? createLogger({ level: config.logLevel, component: options.name ?? 'loom', context: { projectId: identity.projectId, agentId: identity.agentId } });
  const names = createNames(identity.projectId);
  const hooks = createHooks();
  const registries = createRegistries();
  const services = new Map<string, { impl: unknown; owner: string }>();
  const stopFns: Array<{ owner: string; fn: () => Promise<void> | void }> = [];

  const nats = createNatsService({ config: config.nats, env, log: log.child({ component: 'nats' }), name: options.name ?? 'loom' });
  services.set(natsService.id, { impl: nats, owner: 'kernel' });
  services.set(storageService.id, { impl: createStorageService(config.storage, registries), owner: 'kernel' });

  const ordered = orderPlugins(options.plugins, config.exclude, new Set(services.keys()));
  const loadedNames = ordered.map((entry) => entry.plugin.name);
  const knownNames = new Set([...loadedNames, ...(options.knownPluginNames ?? [])]);
  for (const key of Object.keys(config.options)) {
    if (!knownNames.has(key)) {
      throw new LoomError('LOOM_ERR_INVALID_OPTIONS', `options["${key}"] names no known plugin; loaded: ${loadedNames.join(', ') || '(none)'}`, { path: `options.${key}` });
    }
  }
  const resolvedOptions = ordered.map((entry) => resolvePluginOptions(entry.plugin, { ...(options.defaults ?? {}) }[entry.plugin.name], config.options[entry.plugin.name], env));

  const use = <T>(ref: ServiceRef<T>): T => {
    const found = services.get(ref.id);
    if (!found) throw new LoomError('LOOM_ERR_UNKNOWN_SERVICE', `service "${ref.id}" is not provided; provided: ${[...services.keys()].join(', ')}`, { service: ref.id });
    return found.impl as T;
  };

  let started = false;
  let stopped = false;
  const kernel: Kernel = {
    identity,
    names,
    config,
    log,
    hooks,
    registries,
    env,
    plugins: loadedNames,
    use,
    has: (ref) => services.has(ref.id),
    async start() {
      if (started) return;
      started = true;
      for (const [index, { plugin }] of ordered.entries()) {
        const ctx: PluginContext<unknown> = {
          name: plugin.name,
          options: resolvedOptions[index],
          log: log.child({ plugin: plugin.name }),
          env,
          identity,
          names,
          config,
          hooks: hooks.forPlugin(plugin.name),
          registries,
          provide(ref, impl) {
            const existing = services.get(ref.id);
            if (existing) throw new LoomError('LOOM_ERR_DUPLICATE_ID', `service "${ref.id}" is provided twice: by ${existing.owner} and by ${plugin.name}`, { service: ref.id });
            services.set(ref.id, { impl, owner: plugin.name });
          },
          use,
          onStop(fn) {
            stopFns.push({ owner: plugin.name, fn });
          },
        };
        try {
          await plugin.setup(ctx);
        } catch (err) {
          const inner = toLoomError(err);
          throw new LoomError(inner.code === 'LOOM_ERR_INTERNAL' ? 'LOOM_ERR_PLUGIN_SETUP' : inner.code, `plugin ${plugin.name} failed to set up: ${inner.reason}`, { plugin: plugin.name, ...inner.details }, { cause: err });
        }
      }
      await hooks.call.start.promise();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (started) await hooks.call.stop.promise().catch((err: unknown) => log.error({ err }, 'stop hook failed'));
      for (const { owner, fn } of stopFns.reverse()) {
        try {
          await fn();
        } catch (err) {
          log.error({ err, plugin: owner }, 'plugin failed to stop cleanly');
        }
      }
      const storage = services.get(storageService.id)?.impl as StorageServiceWithClose;
      await storage.close();
      await nats.close();
    },
  };
  return kernel;
}

interface StorageServiceWithClose extends StorageService {
  close(): Promise<void>;
}

function createStorageService(backendId: string, registries: KernelRegistries): StorageServiceWithClose {
  let backend: Promise<StorageBackend> | undefined;
  const service: StorageServiceWithClose = {
    backendId,
    backend() {
      // An unknown backend id must reject like any other failure, not throw before the caller can await.
      backend ??= Promise.resolve().then(() => registries.storages.get(backendId)());
      backend.catch(() => (backend = undefined));
      return backend;
    },
    async openBucket(spec) {
      return (await service.backend()).openBucket(spec);
    },
    async close() {
      if (backend) await (await backend.catch(() => undefined))?.close();
    },
  };
  return service;
}
