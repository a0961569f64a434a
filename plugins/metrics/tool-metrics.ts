// MCP tool calls by tool and outcome, with latency, from the kernel's afterToolCall hook.
import { Counter, Histogram, type Registry } from 'prom-client';
import type { PluginHooks } from '../../core/index.js';

export function registerToolMetrics(registry: Registry, hooks: PluginHooks): void {
  const calls = new Counter({ name: 'loom_mcp_tool_calls_total', help: 'MCP tool calls by tool and outcome (ok, or the LOOM_ERR_* code)', labelNames: ['tool', 'outcome'], registers: [registry] });
  const latency = new Histogram({
    name: 'loom_mcp_tool_call_duration_seconds',
    help: 'Time an MCP tool call took in the server, validation and hooks included',
    labelNames: ['tool', 'outcome'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  hooks.afterToolCall.tap(async (event, outcome) => {
    const labels = { tool: event.tool, outcome: outcome.ok ? 'ok' : (outcome.errorCode ?? 'error') };
    calls.inc(labels);
    latency.observe(labels, outcome.durationMs / 1000);
  });
}
