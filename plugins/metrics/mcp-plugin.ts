// metrics:mcp — Prometheus metrics of an MCP server (tool calls by tool and outcome with latency, work events, NATS),
// served on LOOM_METRICS_PORT only when it is set: without it nothing is tapped and nothing listens.
import { z } from 'zod';
import { definePlugin, natsService } from '../../core/index.js';
import { registerNatsMetrics } from './nats-metrics.js';
import { createMetricsRegistry } from './registry.js';
import { serveMetrics } from './serve.js';
import { registerToolMetrics } from './tool-metrics.js';
import { registerWorkFlowMetrics } from './work-flow.js';

export const mcpMetricsOptionsSchema = z.strictObject({
  /** Where GET /metrics listens; unset = no metrics. 0 picks a free port (logged). */
  port: z.coerce.number().int().min(0).max(65_535).optional(),
  host: z.string().min(1).default('127.0.0.1'),
});
export type McpMetricsOptions = z.output<typeof mcpMetricsOptionsSchema>;

export const mcpMetrics = definePlugin<McpMetricsOptions>({
  name: 'metrics:mcp',
  options: mcpMetricsOptionsSchema,
  env: { LOOM_METRICS_PORT: 'port', LOOM_METRICS_HOST: 'host' },
  uses: [natsService],
  setup(ctx) {
    const { port, host } = ctx.options;
    if (port === undefined) return;
    const registry = createMetricsRegistry();
    registerToolMetrics(registry, ctx.hooks);
    registerWorkFlowMetrics(registry, ctx.hooks);
    const nats = registerNatsMetrics(registry, ctx.use(natsService), ctx.log);
    let server: Awaited<ReturnType<typeof serveMetrics>> | undefined;
    ctx.hooks.start.tap(async () => {
      server = await serveMetrics(registry, { host, port, log: ctx.log });
      ctx.log.info({ url: server.url }, 'metrics listening');
    });
    ctx.onStop(async () => {
      nats.stop();
      await server?.close();
    });
  },
});
