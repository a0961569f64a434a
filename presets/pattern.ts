// The pattern preset: memory MCP server: scoped agent memory with TTLs.
import { definePreset } from '../core/index.js';
import { memoryToolGroup } from '../plugins/pattern/index.js';
import { storagePlugins } from './storage.js';
import { mcpMetrics } from '../plugins/metrics/mcp-plugin.js';
import { tracingPlugin } from '../plugins/tracing/index.js';

export const patternPreset = definePreset({
  name: 'pattern',
  description: 'memory MCP server: scoped agent memory with TTLs',
  plugins: [tracingPlugin, ...storagePlugins, memoryToolGroup, mcpMetrics],
});
