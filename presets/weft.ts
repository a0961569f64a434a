// The weft preset: coordinator service: routing, spin-up, idle scale-down, REST API, dashboard.
import { definePreset } from '../core/index.js';
import { storagePlugins } from './storage.js';

export const weftPreset = definePreset({
  name: 'weft',
  description: 'coordinator service: routing, spin-up, idle scale-down, REST API, dashboard',
  plugins: [...storagePlugins],
});
