// The shuttle preset: orchestration MCP server: decompose, fan out, collect, synthesize.
import { definePreset } from '../core/index.js';
import { storagePlugins } from './storage.js';

export const shuttlePreset = definePreset({
  name: 'shuttle',
  description: 'orchestration MCP server: decompose, fan out, collect, synthesize',
  plugins: [...storagePlugins],
});
