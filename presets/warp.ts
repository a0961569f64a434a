// The warp preset: messaging MCP server: identity, channels, registry, direct messages, work queues, dead letters.
import { definePreset } from '../core/index.js';
import { storagePlugins } from './storage.js';

export const warpPreset = definePreset({
  name: 'warp',
  description: 'messaging MCP server: identity, channels, registry, direct messages, work queues, dead letters',
  plugins: [...storagePlugins],
});
