// weft:coordinator: routing, assignment tracking, stale agents, the HA lease and the NATS API; provides service:weft.
import { randomBytes } from 'node:crypto';
import {
  definePlugin,
  globalNames,
  natsService,
  registryService,
  storageService,
  weftService,
  workEventsService,
  workQueueService,
  type KvBucket,
  type WeftService,
} from '../../../core/index.js';
import { weftOperations } from '../operations/index.js';
import type { Coordinator } from './context.js';
import { applyDeclaredTargets, checkDeclaredTargets, type CheckedTarget } from './declared-targets.js';
import { createDispatch } from './dispatch.js';
import { createEventsFeed } from './events-feed.js';
import { createLease } from './lease.js';
import { createNatsApi } from './nats-api.js';
import { coordinatorEnv, coordinatorOptionsSchema, type CoordinatorOptions } from './options.js';
import { createProjects } from './projects.js';
import { createRouter } from './router.js';
import { sweepStaleAgents } from './stale-agents.js';
import { reaskSpinUps } from './work-actions.js';
import { createTracker } from './tracker.js';

export const weftCoordinator = definePlugin<CoordinatorOptions>({
  name: 'weft:coordinator',
  options: coordinatorOptionsSchema,
  env: coordinatorEnv,
  provides: [weftService],
  uses: [natsService, storageService, registryService, workQueueService, workEventsService],
  setup(ctx) {
    const options = ctx.options;
    const instanceId = options.instanceId ?? `weft-${process.pid}-${randomBytes(3).toString('hex')}`;
    const background = new Set<Promise<unknown>>();
    let leaseBucket: Promise<KvBucket> | undefined;
    // Role changes run one after another: becoming leader and standing by never overlap.
    let transitions: Promise<void> = Promise.resolve();
    const lease = createLease({
      bucket: () => (leaseBucket ??= ctx.use(storageService).openBucket({ name: globalNames.weftLeaseBucket })).catch((err: unknown) => {
        leaseBucket = undefined;
        throw err;
      }),
      key: globalNames.weftLeaseKey,
      instanceId,
      ttlMs: options.lease.ttlMs,
      renewMs: options.lease.renewMs ?? Math.max(100, Math.floor(options.lease.ttlMs / 3)),
      log: ctx.log,
      onChange: (held) => void (transitions = transitions.then(() => (held ? becomeLeader() : standBy())).catch((err: unknown) => ctx.log.error({ err }, 'weft failed to change role'))),
    });

    const c: Coordinator = {
      ctx,
      options,
      instanceId,
      projects: createProjects(ctx),
      router: createRouter(ctx.registries.classifiers, options.classifiers),
      isLeader: () => lease.isHeld(),
      workEvents: () => ctx.use(workEventsService),
      async stateChanged(change) {
        await ctx.hooks.workStateChange.promise(change).catch((err: unknown) => ctx.log.warn({ err }, 'a workStateChange tap failed'));
      },
      track(promise) {
        const tracked = promise.catch((err: unknown) => ctx.log.error({ err }, 'background work failed')).finally(() => background.delete(tracked));
        background.add(tracked);
      },
    };

    const tracker = createTracker(c);
    const feed = createEventsFeed(c, 2_000);
    let natsApi: ReturnType<typeof createNatsApi>;
    const call = createDispatch(c, weftOperations, (op, projectId, input) => natsApi.forward(op, projectId, input));
    natsApi = createNatsApi(c, weftOperations, call);
    const leadershipListeners = new Set<(leader: boolean) => void>();
    let sweepTimer: NodeJS.Timeout | undefined;
    let discoveryTimer: NodeJS.Timeout | undefined;
    let sweeping = false;
    let declaredTargets: CheckedTarget[] = [];

    async function becomeLeader(): Promise<void> {
      await applyDeclaredTargets({ project: c.projects.get(ctx.identity.projectId), targets: declaredTargets, log: ctx.log, stillActing: () => c.isLeader() });
      await natsApi.start();
      for (const projectId of c.projects.active()) await tracker.follow(projectId);
      // In the background: a long work list never delays taking over.
      for (const projectId of c.projects.active()) {
        c.track(reaskSpinUps(c, projectId).then((asked) => void (asked && ctx.log.info({ projectId, asked }, 'asked again for spin-ups a stopped weft left unasked'))));
      }
      sweepTimer = setInterval(() => {
        if (sweeping || !c.isLeader()) return;
        sweeping = true;
        void (async () => {
          for (const projectId of c.projects.active()) await sweepStaleAgents(c, projectId).catch((err: unknown) => ctx.log.warn({ err, projectId }, 'stale-agent check failed'));
        })().finally(() => (sweeping = false));
      }, options.staleCheckMs);
      for (const listener of leadershipListeners) listener(true);
    }

    async function standBy(): Promise<void> {
      clearInterval(sweepTimer);
      await natsApi.stop();
      await tracker.stop();
      for (const listener of leadershipListeners) listener(false);
    }

    c.projects.onActive((projectId) => {
      if (c.isLeader()) void tracker.follow(projectId);
    });

    const service: WeftService = {
      instanceId,
      defaultProjectId: ctx.identity.projectId,
      operations: weftOperations,
      isLeader: () => c.isLeader(),
      onLeadershipChange(listener) {
        leadershipListeners.add(listener);
        return () => leadershipListeners.delete(listener);
      },
      call,
      subscribe: (projectId, listener) => feed.subscribe(c.projects.get(projectId).projectId, listener),
      health: () => {
        const natsConnected = ctx.use(natsService).isConnected();
        return { status: natsConnected ? 'ok' : 'degraded', instanceId, leader: c.isLeader(), natsConnected, projects: c.projects.known().length };
      },
    };
    ctx.provide(weftService, service);

    ctx.hooks.start.tap(async () => {
      c.router.order(); // an unknown classifier in the configured order fails the start, not the first submission
      declaredTargets = checkDeclaredTargets(ctx.name, ctx.registries.spinUps, options.targets); // so does a bad declared target
      c.projects.get(ctx.identity.projectId);
      await c.projects.discover();
      discoveryTimer = setInterval(() => void c.projects.discover().catch((err: unknown) => ctx.log.warn({ err }, 'project discovery failed')), options.discoveryMs);
      await lease.start();
      await transitions; // a lone instance is acting (NATS API subscribed) before weft reports it is ready
      ctx.log.info({ instanceId, projectId: ctx.identity.projectId, classifiers: c.router.order(), leaseTtlMs: options.lease.ttlMs }, 'weft coordinator started');
    });
    ctx.onStop(async () => {
      clearInterval(discoveryTimer);
      await lease.stop(); // releasing the lease triggers standBy() through onChange
      await transitions;
      await Promise.allSettled([...background]);
      await feed.stopAll();
    });
  },
});
