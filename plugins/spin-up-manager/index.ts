// service:spin-up — weft's spin-up manager: one agent per need within each target's limits, every attempt recorded,
// idle scale-down of the agents it started, and state in KV so a restarted weft neither forgets nor repeats.
import { definePlugin, formatIssues, isLoomError, natsService, registryService, spinUpService, storageService, weftService, workQueueService, type ProjectRegistry, type ProjectWorkQueue, type SpinUpService } from '../../core/index.js';
import type { Manager } from './context.js';
import { retryDeferred } from './deferred.js';
import { checkSpawned } from './lifecycle.js';
import { checkIntervalOf, managerEnv, managerOptionsSchema, type ManagerOptions } from './options.js';
import { capabilityFor, requestSpinUp, tryCandidates } from './request.js';
import { createSerial } from './serial.js';
import { createStores } from './store.js';

export const spinUpManager = definePlugin<ManagerOptions>({
  name: 'service:spin-up',
  options: managerOptionsSchema,
  env: managerEnv,
  provides: [spinUpService],
  uses: [natsService, storageService, registryService, workQueueService],
  setup(ctx) {
    const stopping = new AbortController();
    const registries = new Map<string, ProjectRegistry>();
    const queues = new Map<string, ProjectWorkQueue>();
    const projects = new Set<string>([ctx.identity.projectId]);
    const m: Manager = {
      ctx,
      options: ctx.options,
      stores: createStores(ctx, ctx.options.historyTtlMs),
      serial: createSerial(),
      stopping: stopping.signal,
      natsUrl: () => ctx.options.agentNatsUrl ?? ctx.use(natsService).url(),
      registry: (projectId) => registries.get(projectId) ?? registries.set(projectId, ctx.use(registryService).forProject(projectId)).get(projectId)!,
      queue: (projectId) => queues.get(projectId) ?? queues.set(projectId, ctx.use(workQueueService).forProject(projectId)).get(projectId)!,
      touch: (projectId) => void projects.add(projectId),
      inFlight: { starts: new Set(), needs: new Set() },
    };

    const service: SpinUpService = {
      request: (need) => requestSpinUp(m, need),
      async spinUp(target, options) {
        if (!options.workId) return tryCandidates(m, [target], { projectId: target.projectId, reason: options.reason }, { recordSkips: true });
        // For a work item (a shuttle subtask, or a manual start on its behalf): through its need record like weft's own
        // requests, so asking again for the same item — a retry, a second shuttle — never starts a second agent.
        return requestSpinUp(m, { projectId: target.projectId, workId: options.workId, capability: await capabilityFor(m, target), agentTypes: [target.agentType], reason: options.reason, candidates: [target] });
      },
      async test(target) {
        const mechanism = ctx.registries.spinUps.find(target.mechanism);
        if (!mechanism) return { ok: false, detail: `mechanism "${target.mechanism}" is not loaded; known: ${ctx.registries.spinUps.ids().join(', ') || '(none)'}` };
        const parsed = mechanism.targetSchema.safeParse(target.config);
        if (!parsed.success) return { ok: false, detail: formatIssues(parsed.error, 'config', mechanism.targetSchema) };
        if (!mechanism.health) return { ok: true, detail: `the config is valid; mechanism ${target.mechanism} has no health check` };
        try {
          return await mechanism.health({ target: parsed.data, log: ctx.log.child({ targetId: target.id }), signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(ctx.options.startTimeoutMs)]) });
        } catch (err) {
          return { ok: false, detail: err instanceof Error ? err.message : String(err) };
        }
      },
      async listAttempts(projectId, filter = {}) {
        const attempts = (await m.stores.forProject(projectId).attempts()).filter((a) => !filter.targetId || a.targetId === filter.targetId);
        return attempts.reverse().slice(0, filter.limit ?? 100);
      },
      async listSpawned(projectId, filter = {}) {
        return (await m.stores.forProject(projectId).spawned()).filter((a) => !filter.targetId || a.targetId === filter.targetId);
      },
    };
    ctx.provide(spinUpService, service);

    // Only the weft instance holding the lease acts; without weft (a plain kernel), this process does.
    const acting = () => {
      try {
        return ctx.use(weftService).isLeader();
      } catch (err) {
        if (isLoomError(err, 'LOOM_ERR_UNKNOWN_SERVICE')) return true;
        throw err;
      }
    };
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> | undefined;
    let wasActing = false;
    const check = async () => {
      const isActing = acting();
      // Another instance may have acted meanwhile: a newly acting one starts from what KV says, not from its caches.
      if (isActing && !wasActing) m.stores.reload();
      wasActing = isActing;
      if (!isActing) return;
      for (const projectId of await m.stores.projects()) projects.add(projectId);
      for (const projectId of [...projects].sort()) {
        if (stopping.signal.aborted) return;
        await checkSpawned(m, projectId).catch((err: unknown) => ctx.log.warn({ err, projectId }, 'checking started agents failed'));
        await retryDeferred(m, projectId).catch((err: unknown) => ctx.log.warn({ err, projectId }, 'retrying deferred spin-ups failed'));
      }
    };
    ctx.hooks.start.tap(() => {
      const every = checkIntervalOf(ctx.options);
      timer = setInterval(() => {
        // A slow check (a mechanism's stop, an unreachable host) is not piled up behind: the next tick skips.
        running ??= check()
          .catch((err: unknown) => ctx.log.warn({ err }, 'spin-up check failed'))
          .finally(() => (running = undefined));
      }, every);
      ctx.log.info({ idleTimeoutMs: ctx.options.idleTimeoutMs, checkMs: every, mechanisms: ctx.registries.spinUps.ids() }, 'spin-up manager started');
    });
    ctx.onStop(async () => {
      clearInterval(timer);
      stopping.abort();
      await running;
    });
  },
});
