// The pattern tool group `tools:memory`: scoped agent memory with real TTLs, recall and full-text search (SPEC §6).
import { defineToolGroup, storageService } from '../../core/index.js';
import { createMemoryStore } from './memory-store.js';
import { memoryOptionsEnv, memoryOptionsSchema, type MemoryOptions } from './options.js';
import { memoryTools } from './tools/index.js';

export { memoryOptionsSchema, type MemoryOptions } from './options.js';

export const memoryToolGroup = defineToolGroup<MemoryOptions>({
  name: 'tools:memory',
  options: memoryOptionsSchema,
  env: memoryOptionsEnv,
  uses: [storageService],
  tools(ctx) {
    const store = createMemoryStore({ storage: ctx.use(storageService), names: ctx.names, identity: ctx.identity, options: ctx.options, log: ctx.log });
    let sweep: NodeJS.Timeout | undefined;
    ctx.hooks.start.tap(() => {
      // Loading the index in the background keeps `initialize` fast; the first tool call waits for it if needed.
      store.view().catch((err: unknown) => ctx.log.warn({ err }, 'memory index not loaded yet; the next tool call retries'));
      if (ctx.options.sweepIntervalMs === 0) return;
      sweep = setInterval(() => {
        store.sweep(false).catch((err: unknown) => ctx.log.warn({ err }, 'expired-memory sweep failed'));
      }, ctx.options.sweepIntervalMs);
      sweep.unref();
    });
    ctx.onStop(async () => {
      if (sweep) clearInterval(sweep);
      await store.close();
    });
    return memoryTools(store);
  },
});
