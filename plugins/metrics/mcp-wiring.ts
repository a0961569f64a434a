// What metrics:mcp does once LOOM_METRICS_PORT is set: loaded on demand, so an MCP server without metrics never
// loads prom-client (about a tenth of `loom warp`'s start).
import { natsService, type PluginContext } from '../../core/index.js';
import type { McpMetricsOptions } from './mcp-plugin.js';
import { registerNatsMetrics } from './nats-metrics.js';
import { createMetricsRegistry } from './registry.js';
import { serveMetrics } from './serve.js';
import { registerToolMetrics } from './tool-metrics.js';
import { registerWorkFlowMetrics } from './work-flow.js';

export function wireMcpMetrics(ctx: PluginContext<McpMetricsOptions>, port: number): void {
  const registry = createMetricsRegistry();
  registerToolMetrics(registry, ctx.hooks);
  registerWorkFlowMetrics(registry, ctx.hooks);
  const nats = registerNatsMetrics(registry, ctx.use(natsService), ctx.log);
  let server: Awaited<ReturnType<typeof serveMetrics>> | undefined;
  ctx.hooks.start.tap(async () => {
    server = await serveMetrics(registry, { host: ctx.options.host, port, log: ctx.log });
    ctx.log.info({ url: server.url }, 'metrics listening');
  });
  ctx.onStop(async () => {
    nats.stop();
    await server?.close();
  });
}
