// service:work-queue: at-least-once work with leases, ten priority levels, exactly-once completion and a filled DLQ.
import { createNamesCache, definePlugin, natsService, storageService, workEventsService, workQueueService, type WorkQueueService } from '../../../core/index.js';
import { toSettings, workQueueEnv, workQueueOptionsSchema, type WorkQueueOptions } from './settings.js';
import { createQueueTopology } from './topology.js';
import { createWorkRecords } from './records.js';
import { createEmitter } from './emit.js';
import { createProjectWorkQueue } from './project-queue.js';
import type { QueueContext, QueueTransport } from './queue-context.js';
import { createPuller } from './puller.js';
import { createWakeHub } from './wake.js';
import { createEmptyBands } from './empty-bands.js';

export const workQueuePlugin = definePlugin<WorkQueueOptions>({
  name: 'service:work-queue',
  options: workQueueOptionsSchema,
  env: workQueueEnv,
  provides: [workQueueService],
  uses: [natsService, storageService, workEventsService],
  setup(ctx) {
    const nats = ctx.use(natsService);
    const settings = toSettings(ctx.options);
    let transport: Promise<QueueTransport> | undefined;
    const names = createNamesCache();
    const q: QueueContext = {
      nats,
      settings,
      topology: createQueueTopology(() => nats.manager(), settings, ctx.log, ctx.config.nats.replicas ?? 1),
      records: createWorkRecords(ctx.use(storageService), ctx.options.recordMaxAgeMs),
      emit: createEmitter(ctx.use(workEventsService), ctx.hooks, ctx.log),
      held: new Map(),
      log: ctx.log,
      transport() {
        transport ??= nats.connection().then((nc) => {
          const wakes = createWakeHub(nc);
          return { nc, puller: createPuller(nc), wakes, bands: createEmptyBands(wakes, settings.claimPollMs) };
        });
        transport.catch(() => (transport = undefined));
        return transport;
      },
      names,
    };
    const projects = new Map<string, ReturnType<typeof createProjectWorkQueue>>();
    const service: WorkQueueService = {
      settings,
      forProject(projectId) {
        let queue = projects.get(projectId);
        if (!queue) projects.set(projectId, (queue = createProjectWorkQueue(q, projectId)));
        return queue;
      },
    };
    ctx.provide(workQueueService, service);
    // Leases held at shutdown lapse on their own (ack wait); nothing is acked on the way out.
    ctx.onStop(async () => {
      q.emit.flush();
      q.held.clear();
      const open = await transport?.catch(() => undefined);
      open?.wakes.close();
      open?.puller.close();
    });
  },
});
