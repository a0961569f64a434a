// service:work-events: publishes work events to loom.<p>.events.work.<workId> (stream LOOM_<p>_EVENTS) and follows them.
import { z } from 'zod';
import { createNames, createNamesCache, createRandomId, definePlugin, formatIssues, LoomError, natsService, workEventSchema, workEventsService, type WorkEventsService } from '../../../core/index.js';
import { createEventsStream } from './events-stream.js';
import { followWorkEvents } from './follow.js';
import { publishWithRetry } from '../../../core/nats/publish-retry.js';

const DAY = 24 * 60 * 60 * 1000;

export const workEventsOptionsSchema = z.strictObject({
  /** How long work events are kept in the events stream. */
  maxAgeMs: z.coerce.number().int().min(1000).default(7 * DAY),
});

export const workEventsPlugin = definePlugin<z.output<typeof workEventsOptionsSchema>>({
  name: 'service:work-events',
  options: workEventsOptionsSchema,
  env: { LOOMINAL_EVENTS_MAX_AGE_MS: 'maxAgeMs' },
  provides: [workEventsService],
  uses: [natsService],
  setup(ctx) {
    const nats = ctx.use(natsService);
    const streams = createEventsStream(() => nats.manager(), ctx.options.maxAgeMs, ctx.config.nats.replicas ?? 1);
    const encoder = new TextEncoder();
    const namesOf = createNamesCache();
    const service: WorkEventsService = {
      async publish(event) {
        const parsed = workEventSchema.safeParse(event);
        if (!parsed.success) throw new LoomError('LOOM_ERR_INVALID_INPUT', `work event: ${formatIssues(parsed.error)}`);
        const names = namesOf(parsed.data.projectId);
        await streams.ensure(names);
        const js = await nats.jetstream();
        // A random id per event: a retry after a lost ack (broker restart, failover) is dropped as a duplicate.
        await publishWithRetry(js, names.workEventSubject(parsed.data.workId), encoder.encode(JSON.stringify(parsed.data)), { msgID: createRandomId(), log: ctx.log });
      },
      async follow(options, onEvent) {
        const names = createNames(options.projectId);
        await streams.ensure(names);
        return followWorkEvents({ nats, names, log: ctx.log, ...options }, onEvent);
      },
    };
    ctx.provide(workEventsService, service);
  },
});
