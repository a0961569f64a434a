// Only protocol on stdout: a raw `loom warp` process, driven line by line, never writes anything but JSON-RPC there.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createMcpProject, type McpProject } from './mcp-project.js';
import { until } from '../../core/testing/poll.js';
import { expectOnlyJsonRpc, spawnRawLoom } from './raw-stdio.js';

let fixture: McpProject | undefined;
afterAll(() => {
  fixture?.project.remove();
  if (fixture) rmSync(fixture.env.LOOMINAL_HOME!, { recursive: true, force: true });
});


describe('loom warp stdout', () => {
  it('carries nothing but JSON-RPC messages, while logs go to stderr', async () => {
    fixture = await createMcpProject();
    const loom = spawnRawLoom(['warp'], { cwd: fixture.project.dir, env: { LOG_LEVEL: 'info', ...fixture.env } });
    const answered = (id: number) => loom.stdout().split('\n').some((line) => line.includes(`"id":${id}`) && line.includes('"jsonrpc"'));

    loom.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw-test', version: '1' } } });
    await until(() => answered(1), () => `initialize answer; stdout so far: ${loom.stdout()}; stderr: ${loom.stderr()}`);
    loom.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    loom.send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    loom.send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'greet', arguments: { name: 'raw' } } });
    loom.send({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'greet', arguments: { name: 12 } } });
    await until(() => [2, 3, 4].every(answered), () => `answers 2-4; stdout so far: ${loom.stdout()}`);
    loom.end();
    expect(await loom.exited).toBe(0);

    const messages = expectOnlyJsonRpc(loom.stdoutBytes()) as Array<{ id?: number; result?: Record<string, unknown> }>;
    expect(messages.length).toBeGreaterThanOrEqual(4);
    const byId = new Map(messages.filter((m) => m.id !== undefined).map((m) => [m.id, m.result]));
    expect((byId.get(2)?.tools as Array<{ name: string }>).map((tool) => tool.name)).toContain('greet');
    expect(byId.get(3)?.structuredContent).toEqual({ greeting: 'hello, raw', projectId: 'mcp-e2e' });
    expect(byId.get(4)?.isError).toBe(true);
    // The logger did write: to stderr, as JSON lines.
    expect(loom.stderr()).toContain('serving MCP over stdio');
  });
});
