// Builds the shuttle runtime for one process: store, NATS link, event follower and the retry loop that resumes work.
import { natsService, registryService, storageService, workEventsService, workQueueService, type KvWatch, type PluginContext, type ProjectRegistry, type WorkEventSubscription } from '../../../core/index.js';
import { isSettled } from '../orchestration/phase.js';
import type { ShuttleOptions } from '../options.js';
import { createWorkFiles } from '../store/files.js';
import { createLink } from '../store/link.js';
import { createSharedBuckets } from '../store/shared.js';
import { createOrchestrationStore } from '../store/store.js';
import { createAdvance } from './advance.js';
import { createEventHandler } from './follow-events.js';
import { createMirror } from './mirror.js';
import { createReconcile } from './reconcile.js';
import { createRetryLoop } from './retry-loop.js';
import type { ShuttleDeps, ShuttleRuntime } from './runtime.js';

export function createShuttleRuntime(ctx: PluginContext<ShuttleOptions>): ShuttleRuntime & { start(): void; stop(): Promise<void> } {
  const { options } = ctx;
  const projectId = ctx.names.projectId;
  const nats = ctx.use(natsService);
  const link = createLink(nats, options);
  const files = createWorkFiles(options.workDir);
  const buckets = createSharedBuckets(ctx.use(storageService), ctx.names, options);
  const store = createOrchestrationStore({ files, buckets, link, projectId, log: ctx.log });
  const background = new Set<Promise<unknown>>();
  let registry: ProjectRegistry | undefined | null;

  const deps: ShuttleDeps = {
    options,
    projectId,
    agentId: ctx.identity.agentId,
    names: ctx.names,
    log: ctx.log,
    files,
    store,
    link,
    nats,
    queue: () => ctx.use(workQueueService).forProject(projectId),
    events: () => ctx.use(workEventsService),
    registry() {
      if (registry === undefined) {
        try {
          registry = ctx.use(registryService).forProject(projectId);
        } catch {
          // No registry service in this kernel: shuttle cannot tell who is online, so it never asks for a spin-up.
          registry = null;
        }
      }
      return registry ?? undefined;
    },
    classifiers: ctx.registries.classifiers,
    decomposers: ctx.registries.decomposers,
    track(work) {
      const tracked = work.catch((err: unknown) => ctx.log.warn({ err }, 'background shuttle work failed')).finally(() => background.delete(tracked));
      background.add(tracked);
    },
  };

  const advance = createAdvance(deps);
  const reconcile = createReconcile(deps, advance);
  const onEvent = createEventHandler(deps, advance);
  const mirror = createMirror(deps);
  let follower: WorkEventSubscription | undefined;
  let watch: KvWatch | undefined;
  let stopping = false;

  async function pass(): Promise<boolean> {
    const state = await link.check();
    if (!state.ok) {
      link.kick();
      return false;
    }
    follower ??= await deps.events().follow({ projectId, durable: options.eventsDurable }, onEvent);
    watch ??= await (await buckets.orchestrations()).watch((change) => change.op === 'put' && mirror.onChange(change.value));
    for (const id of await store.unsynced()) await store.update(id, () => false);
    const listed = await store.list();
    if (listed.degraded) return false;
    let ok = true;
    for (const record of listed.records) {
      if (stopping) break;
      if (!record.spawnedAt || record.synthesisStartedAt || isSettled(record)) continue;
      // One orchestration that cannot be re-checked must not hold up the others.
      await reconcile(record.id).catch((err: unknown) => {
        ok = false;
        ctx.log.warn({ err, orchestrationId: record.id }, 'could not re-check an orchestration; retrying');
      });
    }
    return ok;
  }

  const loop = createRetryLoop({ minMs: options.retryMinMs, maxMs: options.retryMaxMs, idleMs: options.reconcileMs, log: ctx.log, pass });

  return {
    ...deps,
    advance,
    reconcile,
    kick: () => loop.kick(),
    start: () => loop.start(),
    async stop() {
      stopping = true;
      await loop.stop();
      await follower?.stop().catch(() => {});
      await watch?.stop().catch(() => {});
      await mirror.idle();
      await Promise.all([...background]);
    },
  };
}
