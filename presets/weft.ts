// The weft preset: coordinator service: routing, spin-up, idle scale-down, REST API, dashboard.
import { definePreset } from '../core/index.js';
import { storagePlugins } from './storage.js';
import { registryServicePlugin } from '../plugins/services/registry/index.js';
import { workEventsPlugin } from '../plugins/services/work-events/index.js';
import { workQueuePlugin } from '../plugins/services/work-queue/index.js';
import { boundaryClassifier } from '../plugins/classifiers/boundary/index.js';
import { capabilityClassifier } from '../plugins/classifiers/capability/index.js';
import { weftApi, weftCoordinator } from '../plugins/weft/index.js';
import { spinUpMechanisms } from '../plugins/spin-up/index.js';
import { spinUpManager } from '../plugins/spin-up-manager/index.js';
import { weftDashboard } from '../plugins/weft/dashboard/index.js';
import { weftMetrics } from '../plugins/metrics/index.js';
import { tracingPlugin } from '../plugins/tracing/index.js';

export const weftPreset = definePreset({
  name: 'weft',
  description: 'coordinator service: routing, spin-up, idle scale-down, REST API, dashboard',
  plugins: [tracingPlugin, ...storagePlugins, registryServicePlugin, workEventsPlugin, workQueuePlugin, boundaryClassifier, capabilityClassifier, weftCoordinator, weftApi, ...spinUpMechanisms, spinUpManager, weftDashboard, weftMetrics],
});
