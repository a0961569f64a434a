// The MCP bridge end to end: a user's tool group in loom.config.ts, served by `loom warp`, called by the real MCP client.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnMcpServer, type McpSession } from '../../core/testing/mcp-client.js';
import { createMcpProject, type McpProject } from './mcp-project.js';

let fixture: McpProject;
let session: McpSession;

beforeAll(async () => {
  fixture = await createMcpProject();
  session = await spawnMcpServer({ args: ['warp'], env: fixture.env, cwd: fixture.project.dir });
});

afterAll(async () => {
  await session?.close();
  fixture?.project.remove();
  if (fixture) rmSync(fixture.env.LOOMINAL_HOME!, { recursive: true, force: true });
});

describe('loom warp with a tool group from loom.config.ts', () => {
  it('lists the tools with title, description, JSON schemas and annotations', async () => {
    const { tools } = await session.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['find_note', 'greet']);
    const greet = tools.find((tool) => tool.name === 'greet')!;
    expect(greet.title).toBe('Greet someone');
    expect(greet.description).toBe('Says hello to a named person and reports which project answered.');
    expect(greet.inputSchema).toMatchObject({
      type: 'object',
      properties: { name: { type: 'string', minLength: 1, maxLength: 40, description: 'Who to greet' }, times: { type: 'integer', minimum: 1, maximum: 3, default: 1 } },
      required: ['name'],
    });
    expect(greet.outputSchema).toMatchObject({ type: 'object', properties: { greeting: { type: 'string' }, projectId: { type: 'string' } }, required: ['greeting', 'projectId'] });
    expect(greet.annotations).toEqual({ readOnlyHint: true, idempotentHint: true, destructiveHint: false });
  });

  it('a call returns structuredContent and the same data as text, bound to the caller project', async () => {
    const result = await session.raw('greet', { name: 'Ada', times: 2 });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ greeting: 'hello, Ada hello, Ada', projectId: 'mcp-e2e' });
    expect(result.content).toHaveLength(1);
    expect(JSON.parse(result.content[0]!.text!)).toEqual(result.structuredContent);
  });

  it('bad input is an isError result that starts with LOOM_ERR_INVALID_INPUT and names the field', async () => {
    const result = await session.raw('greet', { name: 'Ada', times: 7 });
    expect(result.isError).toBe(true);
    const text = result.content[0]!.text!;
    expect(text.startsWith('LOOM_ERR_INVALID_INPUT: ')).toBe(true);
    expect(text).toContain('times');
    const missing = await session.raw('greet', {});
    expect(missing.content[0]!.text).toMatch(/^LOOM_ERR_INVALID_INPUT: greet: name: /);
  });

  it("a handler's LoomError comes back with its own code", async () => {
    const result = await session.raw('find_note', { id: 'n404' });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toBe('LOOM_ERR_NOT_FOUND: no note with id "n404"');
    expect(await session.call('find_note', { id: 'n1' })).toEqual({ id: 'n1', text: 'the first note' });
  });

  it('serves all of it without a NATS server', async () => {
    // NATS_URL points at a port nothing listens on; a connection attempt would show as an unreachable error in the logs.
    expect(session.stderr()).not.toMatch(/LOOM_ERR_NATS_UNREACHABLE|ECONNREFUSED/);
    expect(await session.call('greet', { name: 'offline' })).toMatchObject({ greeting: 'hello, offline' });
  });
});
