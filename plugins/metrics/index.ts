// Prometheus metrics: metrics:weft (at weft's /metrics) and metrics:mcp (MCP servers, on LOOM_METRICS_PORT).
export { weftMetrics } from './weft-plugin.js';
export { mcpMetrics, mcpMetricsOptionsSchema, type McpMetricsOptions } from './mcp-plugin.js';
