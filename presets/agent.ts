// The services `loom agent` runs on: storage, the agent registry, work events and the work queue (no MCP tools).
import { definePreset } from '../core/index.js';
import { storagePlugins } from './storage.js';
import { registryServicePlugin } from '../plugins/services/registry/index.js';
import { workEventsPlugin } from '../plugins/services/work-events/index.js';
import { workQueuePlugin } from '../plugins/services/work-queue/index.js';
import { tracingPlugin } from '../plugins/tracing/index.js';

export const agentPreset = definePreset({
  name: 'agent',
  description: 'worker runtime: registers, heartbeats, claims work and runs a command per item',
  plugins: [tracingPlugin, ...storagePlugins, registryServicePlugin, workEventsPlugin, workQueuePlugin],
});
