// metrics:weft — Prometheus metrics at weft's /metrics (open unless weft:api's openHealth is false): agents, queues,
// work, dispatch latency and duration, spin-ups, dead letters, NATS. One registry per weft process.
import { definePlugin, natsService, weftHttpService, weftService } from '../../core/index.js';
import { registerNatsMetrics } from './nats-metrics.js';
import { createMetricsRegistry } from './registry.js';
import { registerSpinUpCounter } from './spin-up-count.js';
import { registerWorkFlowMetrics } from './work-flow.js';
import { createWeftSnapshot } from './weft-snapshot.js';

export const weftMetrics = definePlugin({
  name: 'metrics:weft',
  uses: [weftService, weftHttpService, natsService],
  setup(ctx) {
    const registry = createMetricsRegistry();
    registerWorkFlowMetrics(registry, ctx.hooks);
    const nats = registerNatsMetrics(registry, ctx.use(natsService), ctx.log);
    registerSpinUpCounter(registry, ctx.hooks);
    const refresh = createWeftSnapshot(registry, { weft: ctx.use(weftService), nats: ctx.use(natsService), use: ctx.use, log: ctx.log });
    // Scrapes that overlap share one refresh: a slow KV read is not multiplied by an impatient scraper.
    let refreshing: Promise<void> | undefined;
    ctx.use(weftHttpService).addRoute({
      method: 'get',
      path: '/metrics',
      auth: 'gated',
      summary: 'Prometheus metrics of this weft process and the projects it serves',
      contentType: 'text/plain',
      async handle() {
        refreshing ??= refresh().finally(() => (refreshing = undefined));
        await refreshing;
        return { contentType: registry.contentType, body: await registry.metrics() };
      },
    });
    ctx.onStop(() => nats.stop());
  },
});
