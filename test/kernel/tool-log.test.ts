// A tool's ctx.log names the tool on every line; the bridge makes it only when the tool first logs, once per call.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createKernel, createLogger, defineTool, defineToolGroup } from '../../core/index.js';
import { parseConfig } from '../../core/config/load.js';
import { callTool } from '../../core/mcp/bridge.js';

describe('a tool’s logger', () => {
  it('is made only for a tool that logs, once per call, and its lines carry the tool name', async () => {
    const out: string[] = [];
    const destination = new Writable({ write: (chunk, _encoding, done) => void (out.push(String(chunk)), done()) });
    const seen: unknown[] = [];
    const chatty = defineTool({
      name: 'chatty',
      title: 'Chatty',
      description: 'Logs twice',
      input: z.object({}),
      output: z.object({ ok: z.boolean() }),
      run: ({ ctx }) => {
        seen.push(ctx.log, ctx.log);
        ctx.log.info('first');
        ctx.log.warn({ detail: 1 }, 'second');
        return { ok: true };
      },
    });
    const quiet = defineTool({ name: 'quiet', title: 'Quiet', description: 'Never logs', input: z.object({}), output: z.object({ ok: z.boolean() }), run: () => ({ ok: true }) });
    const env = { LOOMINAL_PROJECT_ID: 'tool-log', LOOMINAL_AGENT_ID: 'ab'.repeat(16) };
    const log = createLogger({ level: 'info', destination });
    const kernel = createKernel({ config: parseConfig({ logLevel: 'info' }, env), plugins: [{ plugin: defineToolGroup({ name: 'tools:chatty', tools: [chatty, quiet] }), origin: 'test' }], env, log });
    await kernel.start();
    // Counts the tool loggers the bridge makes from here on (the kernel's own children were made at start).
    const toolLoggers: unknown[] = [];
    const child = log.child.bind(log);
    log.child = ((bindings: Record<string, unknown>, ...rest: []) => {
      if ('tool' in bindings) toolLoggers.push(bindings.tool);
      return child(bindings, ...rest);
    }) as typeof log.child;
    const signal = new AbortController().signal;
    expect(await callTool(kernel, quiet, {}, signal)).toMatchObject({ structuredContent: { ok: true } });
    expect(toolLoggers).toEqual([]);
    expect(await callTool(kernel, chatty, {}, signal)).toMatchObject({ structuredContent: { ok: true } });
    expect(toolLoggers).toEqual(['chatty']);
    await kernel.stop();

    const lines = out.join('').split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    const toolLines = lines.filter((line) => 'tool' in line);
    expect(toolLines.map((line) => [line.tool, line.msg])).toEqual([['chatty', 'first'], ['chatty', 'second']]);
    expect(toolLines[1]).toMatchObject({ detail: 1 });
    expect(seen[0]).toBe(seen[1]);
  });
});
