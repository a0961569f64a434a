// The warp preset: messaging MCP server: identity, channels, registry, direct messages, work queues, dead letters.
import { definePreset } from '../core/index.js';
import { storagePlugins } from './storage.js';
import { registryServicePlugin } from '../plugins/services/registry/index.js';
import { workEventsPlugin } from '../plugins/services/work-events/index.js';
import { workQueuePlugin } from '../plugins/services/work-queue/index.js';
import { workToolGroup } from '../plugins/warp/work/index.js';
import { dlqToolGroup } from '../plugins/warp/dlq/index.js';
import { identityServicePlugin } from '../plugins/services/identity/index.js';
import { channelsServicePlugin } from '../plugins/services/channels/index.js';
import { inboxServicePlugin } from '../plugins/services/inbox/index.js';
import { identityToolGroup } from '../plugins/warp/identity/index.js';
import { channelsToolGroup } from '../plugins/warp/channels/index.js';
import { registryToolGroup } from '../plugins/warp/registry/index.js';
import { messagesToolGroup } from '../plugins/warp/messages/index.js';
import { mcpMetrics } from '../plugins/metrics/mcp-plugin.js';
import { tracingPlugin } from '../plugins/tracing/index.js';

export const warpPreset = definePreset({
  name: 'warp',
  description: 'messaging MCP server: identity, channels, registry, direct messages, work queues, dead letters',
  plugins: [
    tracingPlugin,
    ...storagePlugins,
    registryServicePlugin,
    identityServicePlugin,
    channelsServicePlugin,
    inboxServicePlugin,
    workEventsPlugin,
    workQueuePlugin,
    identityToolGroup,
    channelsToolGroup,
    registryToolGroup,
    messagesToolGroup,
    workToolGroup,
    dlqToolGroup,
    mcpMetrics,
  ],
});
