// service:inbox — durable direct messages: one stream per project (loom.<p>.inbox.*), read state and receipts in KV.
import { z } from 'zod';
import { createNames, definePlugin, inboxService, natsService, storageService, type InboxService, type KvBucket, type ProjectInbox } from '../../../core/index.js';
import { createProjectInbox } from './project-inbox.js';

const HOUR_MS = 60 * 60 * 1000;

const optionsSchema = z.strictObject({
  /** Direct messages wait this long for their recipient. */
  maxAgeMs: z.coerce.number().int().positive().default(7 * 24 * HOUR_MS),
  /** How long one pull of an inbox scan may go unanswered before the read fails (the server answers no-wait pulls at once). */
  fetchTimeoutMs: z.coerce.number().int().min(1000).default(5000),
});
export type InboxOptions = z.output<typeof optionsSchema>;

export const inboxServicePlugin = definePlugin<InboxOptions>({
  name: 'service:inbox',
  options: optionsSchema,
  env: { LOOMINAL_INBOX_FETCH_TIMEOUT_MS: 'fetchTimeoutMs' },
  provides: [inboxService],
  setup(ctx) {
    const projects = new Map<string, ProjectInbox>();
    const service: InboxService = {
      forProject(projectId) {
        let inbox = projects.get(projectId);
        if (!inbox) {
          const names = projectId === ctx.names.projectId ? ctx.names : createNames(projectId);
          let bucket: Promise<KvBucket> | undefined;
          inbox = createProjectInbox({
            names,
            nats: ctx.use(natsService),
            // Read states outlive the messages they cover by an hour, so an expired state never makes old messages unread.
            bucket: () => {
              bucket ??= ctx.use(storageService).openBucket({ name: names.receiptsBucket, ttlMs: ctx.options.maxAgeMs + HOUR_MS });
              bucket.catch(() => (bucket = undefined));
              return bucket;
            },
            maxAgeMs: ctx.options.maxAgeMs,
            fetchTimeoutMs: ctx.options.fetchTimeoutMs,
            replicas: ctx.config.nats.replicas ?? 1,
            log: ctx.log.child({ projectId: names.projectId }),
          });
          projects.set(projectId, inbox);
        }
        return inbox;
      },
    };
    ctx.provide(inboxService, service);
  },
});
