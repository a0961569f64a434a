// service:channels — one limits-retention stream of channels per project (loom.<p>.channels.*), read without consuming.
import { channelsService, createNames, definePlugin, natsService, type ChannelsService, type ProjectChannels } from '../../../core/index.js';
import { channelsOptionsSchema, resolveChannels, type ChannelsOptions } from './options.js';
import { createProjectChannels } from './project-channels.js';

export { DEFAULT_CHANNELS } from './options.js';

export const channelsServicePlugin = definePlugin<ChannelsOptions>({
  name: 'service:channels',
  options: channelsOptionsSchema,
  env: { LOOMINAL_CHANNEL_FETCH_TIMEOUT_MS: 'fetchTimeoutMs' },
  provides: [channelsService],
  setup(ctx) {
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
