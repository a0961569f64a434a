// Only protocol on stdout: a raw `loom warp` process, driven line by line, never writes anything but JSON-RPC there.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loomCommand } from '../../core/testing/loom-process.js';
import { createMcpProject, type McpProject } from './mcp-project.js';
import { until } from '../../core/testing/poll.js';

let fixture: McpProject | undefined;
afterAll(() => {
  fixture?.project.remove();
  if (fixture) rmSync(fixture.env.LOOMINAL_HOME!, { recursive: true, force: true });
});


describe('loom warp stdout', () => {
  it('carries nothing but JSON-RPC messages, while logs go to stderr', async () => {
    fixture = await createMcpProject();
    const [command, ...prefix] = loomCommand();
    const child = spawn(command!, [...prefix, 'warp'], { cwd: fixture.project.dir, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...fixture.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
    const answered = (id: number) => stdout.split('\n').some((line) => line.includes(`"id":${id}`) && line.includes('"jsonrpc"'));

    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw-test', version: '1' } } });
    await until(() => answered(1), () => `initialize answer; stdout so far: ${stdout}; stderr: ${stderr}`);
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'greet', arguments: { name: 'raw' } } });
    send({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'greet', arguments: { name: 12 } } });
    await until(() => [2, 3, 4].every(answered), () => `answers 2-4; stdout so far: ${stdout}`);
    child.stdin.end();
    expect(await exited).toBe(0);

    const lines = stdout.split('\n').filter((line) => line.length > 0);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) {
      const message = JSON.parse(line) as { jsonrpc?: string; id?: number; method?: string; result?: unknown; error?: unknown };
      expect(message.jsonrpc).toBe('2.0');
      expect('result' in message || 'error' in message || typeof message.method === 'string').toBe(true);
    }
    const byId = new Map(lines.map((line) => JSON.parse(line) as { id?: number; result?: Record<string, unknown> }).filter((m) => m.id !== undefined).map((m) => [m.id, m.result]));
    expect((byId.get(2)?.tools as Array<{ name: string }>).map((tool) => tool.name)).toContain('greet');
    expect(byId.get(3)?.structuredContent).toEqual({ greeting: 'hello, raw', projectId: 'mcp-e2e' });
    expect(byId.get(4)?.isError).toBe(true);
    // The logger did write: to stderr, as JSON lines.
    expect(stderr).toContain('serving MCP over stdio');
  });
});
