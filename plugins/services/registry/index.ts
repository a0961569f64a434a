// service:registry — the agent registry on KV loom-registry-<p> (plus the shared public/personal buckets), with heartbeats.
import { z } from 'zod';
import { createNames, definePlugin, registryService, storageService, type RegistryService } from '../../../core/index.js';
import { createProjectRegistry, type ManagedProjectRegistry } from './project-registry.js';

const optionsSchema = z.strictObject({
  /** How often a registered agent's entry is refreshed; 3 missed heartbeats and it is reported offline. */
  heartbeatMs: z.coerce.number().int().min(50).default(30_000),
  /** Entries not refreshed for this long are removed (the buckets' max age). */
  retentionMs: z.coerce.number().int().positive().default(24 * 60 * 60 * 1000),
});

export type RegistryOptions = z.output<typeof optionsSchema>;

export const registryServicePlugin = definePlugin<RegistryOptions>({
  name: 'service:registry',
  options: optionsSchema,
  env: { LOOMINAL_HEARTBEAT_MS: 'heartbeatMs' },
  provides: [registryService],
  setup(ctx) {
    const projects = new Map<string, ManagedProjectRegistry>();
    const service: RegistryService = {
      heartbeatMs: ctx.options.heartbeatMs,
      forProject(projectId) {
        let registry = projects.get(projectId);
        if (!registry) {
          registry = createProjectRegistry({
            names: projectId === ctx.names.projectId ? ctx.names : createNames(projectId),
            storage: ctx.use(storageService),
            identity: ctx.identity,
            heartbeatMs: ctx.options.heartbeatMs,
            retentionMs: ctx.options.retentionMs,
            log: ctx.log.child({ projectId }),
          });
          projects.set(projectId, registry);
        }
        return registry;
      },
    };
    ctx.provide(registryService, service);
    ctx.onStop(async () => {
      await Promise.all([...projects.values()].map((registry) => registry.stop()));
      projects.clear();
    });
  },
});
