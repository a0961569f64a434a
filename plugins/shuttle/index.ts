// The shuttle tool group `tools:shuttle` (SPEC §7): plan, fan out as work items, collect, synthesize — recoverable, and
// degraded to the work directory when NATS is down. Also exports decomposer:outline.
import { defineToolGroup, natsService, storageService, workEventsService, workQueueService } from '../../core/index.js';
import { createShuttleRuntime } from './engine/create-runtime.js';
import { shuttleEnv, shuttleOptionsSchema, type ShuttleOptions } from './options.js';
import { shuttleTools } from './tools/index.js';

export const shuttleToolGroup = defineToolGroup<ShuttleOptions>({
  name: 'tools:shuttle',
  options: shuttleOptionsSchema,
  env: shuttleEnv,
  uses: [natsService, storageService, workQueueService, workEventsService],
  tools(ctx) {
    const runtime = createShuttleRuntime(ctx);
    // The loop connects, follows work events and resumes stored orchestrations in the background: `initialize` stays fast.
    ctx.hooks.start.tap(() => runtime.start());
    ctx.onStop(() => runtime.stop());
    return shuttleTools(runtime);
  },
});

export { outlineDecomposer, outlineSubtasks } from './decomposer-outline/index.js';
export { shuttleOptionsSchema, type ShuttleOptions } from './options.js';
