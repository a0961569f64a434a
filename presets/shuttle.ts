// The shuttle preset: orchestration MCP server: decompose, fan out, collect, synthesize.
import { definePreset } from '../core/index.js';
import { storagePlugins } from './storage.js';
import { registryServicePlugin } from '../plugins/services/registry/index.js';
import { workEventsPlugin } from '../plugins/services/work-events/index.js';
import { workQueuePlugin } from '../plugins/services/work-queue/index.js';
import { outlineDecomposer, shuttleToolGroup } from '../plugins/shuttle/index.js';
import { mcpMetrics } from '../plugins/metrics/mcp-plugin.js';
import { tracingPlugin } from '../plugins/tracing/index.js';

export const shuttlePreset = definePreset({
  name: 'shuttle',
  description: 'orchestration MCP server: decompose, fan out, collect, synthesize',
  plugins: [tracingPlugin, ...storagePlugins, registryServicePlugin, workEventsPlugin, workQueuePlugin, outlineDecomposer, shuttleToolGroup, mcpMetrics],
});
