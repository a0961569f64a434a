// An MCP server's own metrics (metrics:mcp): tool calls by tool and outcome with latency, work events and NATS, on
// LOOM_METRICS_PORT — and nothing listening when the variable is not set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { spawnMcpServer, type McpSession } from '../../core/testing/mcp-client.js';
import { waitFor } from '../weft/harness.js';
import { scrape } from './prometheus.js';

let nats: NatsServerHandle;
const sessions: McpSession[] = [];

const warp = async (extra: Record<string, string>) => {
  const session = await spawnMcpServer({ args: ['warp'], env: { NATS_URL: nats.url, LOOMINAL_PROJECT_ID: 'metrics-mcp', LOOMINAL_AGENT_ID: 'd'.repeat(32), LOG_LEVEL: 'info', ...extra } });
  sessions.push(session);
  return session;
};

/** The URL the server logged once it listened (LOOM_METRICS_PORT=0 picks a free port). */
const metricsUrl = (session: McpSession) =>
  waitFor(() => session.stderr().split('\n').map((line) => (line.includes('metrics listening') ? (JSON.parse(line) as { url: string }).url : undefined)).find(Boolean), 'the metrics URL in the log');

beforeAll(async () => {
  nats = await startNatsServer();
});
afterAll(async () => {
  for (const session of sessions) await session.close().catch(() => undefined);
  await nats?.stop();
});

describe('metrics of an MCP server', () => {
  it('counts tool calls by tool and outcome, with their latency, and the work events of the process', async () => {
    const session = await warp({ LOOM_METRICS_PORT: '0' });
    const url = await metricsUrl(session);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const before = await scrape(url);
    expect(before.value('loom_mcp_tool_calls_total', { tool: 'register_agent' })).toBeUndefined();

    await session.call('register_agent', { agentType: 'tester', capabilities: ['docs'], scope: 'team' });
    await session.call('broadcast_work_offer', { taskId: 'task-1', description: 'write it down', requiredCapability: 'docs' });
    await session.call('broadcast_work_offer', { taskId: 'task-2', description: 'and again', requiredCapability: 'docs' });
    const bad = await session.raw('broadcast_work_offer', { taskId: 'Not.A.Token', description: 'x', requiredCapability: 'docs' });
    expect(bad.isError).toBe(true);

    const after = await scrape(url);
    expect(after.value('loom_mcp_tool_calls_total', { tool: 'register_agent', outcome: 'ok' })).toBe(1);
    expect(after.value('loom_mcp_tool_calls_total', { tool: 'broadcast_work_offer', outcome: 'ok' })).toBe(2);
    expect(after.value('loom_mcp_tool_calls_total', { tool: 'broadcast_work_offer', outcome: 'LOOM_ERR_INVALID_INPUT' })).toBe(1);
    expect(after.value('loom_mcp_tool_call_duration_seconds_count', { tool: 'broadcast_work_offer', outcome: 'ok' })).toBe(2);
    expect(after.value('loom_mcp_tool_call_duration_seconds_sum', { tool: 'broadcast_work_offer', outcome: 'ok' })!).toBeGreaterThan(0);
    expect(after.value('loom_work_events_total', { type: 'offered' })).toBe(2);
    expect(after.value('loom_nats_connected')).toBe(1);
  });

  it('listens nowhere without LOOM_METRICS_PORT', async () => {
    const session = await warp({});
    await session.call('get_my_handle', {});
    expect(session.stderr()).toContain('"level":30');
    expect(session.stderr()).not.toContain('metrics listening');
  });
});
