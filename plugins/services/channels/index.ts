// service:channels — one limits-retention stream of channels per project (loom.<p>.channels.*), read without consuming.
import { channelsService, createNames, definePlugin, natsService, type ChannelsService, type ProjectChannels } from '../../../core/index.js';
import { channelsOptionsSchema, resolveChannels, type ChannelsOptions } from './options.js';
import { createProjectChannels } from './project-channels.js';
import { createChannelSigner } from './signer.js';
import { createSenderKeys } from './sender-keys.js';

export { DEFAULT_CHANNELS } from './options.js';

/** How long a sender's key (or its absence) is reused: a key provisioned or removed takes effect within this. */
const SENDER_KEY_CACHE_MS = 30_000;

export const channelsServicePlugin = definePlugin<ChannelsOptions>({
  name: 'service:channels',
  options: channelsOptionsSchema,
  env: { LOOMINAL_CHANNEL_FETCH_TIMEOUT_MS: 'fetchTimeoutMs' },
  provides: [channelsService],
  setup(ctx) {
    // Read now, so a malformed LOOMINAL_SIGNING_KEY stops the server at startup with an error naming it.
    const signer = createChannelSigner(ctx.env, ctx.identity);
    const projects = new Map<string, ProjectChannels>();
    const service: ChannelsService = {
      forProject(projectId) {
        let channels = projects.get(projectId);
        if (!channels) {
          const names = projectId === ctx.names.projectId ? ctx.names : createNames(projectId);
          channels = createProjectChannels({
            projectId: names.projectId,
            channels: resolveChannels(ctx.options, names),
            nats: ctx.use(natsService),
            fetchTimeoutMs: ctx.options.fetchTimeoutMs,
            replicas: ctx.config.nats.replicas ?? 1,
            ...(signer ? { signer } : {}),
            senderKeys: createSenderKeys({ nats: ctx.use(natsService), bucket: names.signingKeysBucket, cacheMs: SENDER_KEY_CACHE_MS, log: ctx.log.child({ projectId: names.projectId }) }),
            log: ctx.log.child({ projectId: names.projectId }),
          });
          projects.set(projectId, channels);
        }
        return channels;
      },
    };
    ctx.provide(channelsService, service);
  },
});
