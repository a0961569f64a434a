// metrics:mcp — Prometheus metrics of an MCP server (tool calls by tool and outcome with latency, work events, NATS),
// served on LOOM_METRICS_PORT only when it is set: without it nothing is tapped and nothing listens.
import { z } from 'zod';
import { definePlugin, natsService } from '../../core/index.js';

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
  async setup(ctx) {
    if (ctx.options.port === undefined) return;
    const { wireMcpMetrics } = await import('./mcp-wiring.js');
    wireMcpMetrics(ctx, ctx.options.port);
  },
});
