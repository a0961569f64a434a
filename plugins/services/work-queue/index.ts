// service:work-queue: at-least-once work with leases, priority bands, exactly-once completion and a filled DLQ.
import { definePlugin, natsService, storageService, workEventsService, workQueueService, type WorkQueueService } from '../../../core/index.js';
import { toSettings, workQueueEnv, workQueueOptionsSchema, type WorkQueueOptions } from './settings.js';
import { createQueueTopology } from './topology.js';
import { createWorkRecords } from './records.js';
import { createEmitter } from './emit.js';
import { createProjectWorkQueue } from './project-queue.js';
import type { QueueContext } from './queue-context.js';

export const workQueuePlugin = definePlugin<WorkQueueOptions>({
  name: 'service:work-queue',
  options: workQueueOptionsSchema,
  env: workQueueEnv,
  provides: [workQueueService],
  uses: [natsService, storageService, workEventsService],
  setup(ctx) {
    const nats = ctx.use(natsService);
    const settings = toSettings(ctx.options);
    const q: QueueContext = {
      nats,
      settings,
      topology: createQueueTopology(() => nats.manager(), settings, ctx.log),
      records: createWorkRecords(ctx.use(storageService), ctx.options.recordMaxAgeMs),
      emit: createEmitter(ctx.use(workEventsService), ctx.hooks, ctx.log),
      held: new Map(),
      log: ctx.log,
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
    ctx.onStop(() => q.held.clear());
  },
});
