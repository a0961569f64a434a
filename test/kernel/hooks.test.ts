// Hooks: taps carry their plugin's name, tap errors name plugin and hook, spin-up veto, tool-call rewrite/deny, stop order.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin, defineTool, defineToolGroup, LoomError, type LoomPlugin } from '../../core/index.js';
import { callTool } from '../../core/mcp/bridge.js';
import { createTestKernel } from '../../core/testing/kernel.js';

const spinUpEvent = { projectId: 'p', targetId: 'laptop', mechanism: 'local', reason: 'no agent online' };

const echo = defineToolGroup({
  name: 'tools:echo',
  tools: [
    defineTool({
      name: 'echo',
      title: 'Echo',
      description: 'Returns its text',
      input: z.object({ text: z.string() }),
      output: z.object({ text: z.string() }),
      run: ({ input }) => ({ text: input.text }),
    }),
  ],
});

const signal = new AbortController().signal;

describe('hooks', () => {
  it('names every tap after the plugin that tapped it', async () => {
    const a = definePlugin({ name: 'audit:a', setup: (ctx) => ctx.hooks.afterToolCall.tap(() => {}) });
    const b = definePlugin({ name: 'audit:b', setup: (ctx) => ctx.hooks.afterToolCall.tap(() => {}) });
    const kernel = await createTestKernel({ plugins: [a, b] });
    expect(kernel.hooks.call.afterToolCall.taps.map((tap) => tap.name)).toEqual(['audit:a', 'audit:b']);
    await kernel.stop();
  });

  it('orders taps by stage, not by registration', async () => {
    const seen: string[] = [];
    const late = definePlugin({ name: 'order:late', setup: (ctx) => ctx.hooks.workStateChange.tap(() => void seen.push('late'), { stage: 10 }) });
    const early = definePlugin({ name: 'order:early', setup: (ctx) => ctx.hooks.workStateChange.tap(() => void seen.push('early'), { stage: -10 }) });
    const kernel = await createTestKernel({ plugins: [late, early] });
    await kernel.hooks.call.workStateChange.promise({ projectId: 'p', workId: 'w1', state: 'completed' });
    expect(seen).toEqual(['early', 'late']);
    await kernel.stop();
  });

  it('an error thrown in a tap names the plugin and the hook', async () => {
    const faulty = definePlugin({ name: 'metrics:faulty', setup: (ctx) => ctx.hooks.workStateChange.tap(() => { throw new Error('counter overflow'); }) });
    const kernel = await createTestKernel({ plugins: [faulty] });
    const error = await kernel.hooks.call.workStateChange.promise({ projectId: 'p', workId: 'w1', state: 'claimed' }).then(() => { throw new Error('expected the hook to fail'); }, (err: unknown) => err as LoomError);
    expect(error).toBeInstanceOf(LoomError);
    expect(error.code).toBe('LOOM_ERR_HOOK_FAILED');
    expect(error.message).toBe('LOOM_ERR_HOOK_FAILED: plugin metrics:faulty failed in hook workStateChange: counter overflow');
    expect(error.details).toEqual({ plugin: 'metrics:faulty', hook: 'workStateChange' });
    await kernel.stop();
  });

  it('beforeSpinUp: the first tap that returns a reason vetoes, and later taps do not run', async () => {
    const calls: string[] = [];
    const budget = definePlugin({ name: 'policy:budget', setup: (ctx) => ctx.hooks.beforeSpinUp.tap((event) => { calls.push('budget'); return event.targetId === 'laptop' ? 'laptop is over its budget' : undefined; }) });
    const after = definePlugin({ name: 'policy:after', setup: (ctx) => ctx.hooks.beforeSpinUp.tap(() => { calls.push('after'); return undefined; }) });
    const kernel = await createTestKernel({ plugins: [budget, after] });
    expect(await kernel.hooks.call.beforeSpinUp.promise(spinUpEvent)).toBe('laptop is over its budget');
    expect(calls).toEqual(['budget']);
    expect(await kernel.hooks.call.beforeSpinUp.promise({ ...spinUpEvent, targetId: 'ci' })).toBeUndefined();
    expect(calls).toEqual(['budget', 'budget', 'after']);
    await kernel.stop();
  });

  it('beforeToolCall can rewrite the input a tool receives', async () => {
    const shout = definePlugin({ name: 'rewrite:shout', setup: (ctx) => ctx.hooks.beforeToolCall.tap((event) => ({ ...event, input: { text: String((event.input as { text: string }).text).toUpperCase() } })) });
    const kernel = await createTestKernel({ plugins: [echo, shout] });
    const result = await callTool(kernel, kernel.registries.tools.get('echo'), { text: 'quiet' }, signal);
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent).toEqual({ text: 'QUIET' });
    await kernel.stop();
  });

  it('beforeToolCall can deny a call with LOOM_ERR_FORBIDDEN, and the result names the denying plugin', async () => {
    const guard = definePlugin({ name: 'policy:guard', setup: (ctx) => ctx.hooks.beforeToolCall.tap((event) => { if (event.tool === 'echo') throw new LoomError('LOOM_ERR_FORBIDDEN', 'echo is switched off'); return event; }) });
    const outcomes: unknown[] = [];
    const recorder = definePlugin({ name: 'audit:recorder', setup: (ctx) => ctx.hooks.afterToolCall.tap((_event, outcome) => void outcomes.push(outcome)) });
    const kernel = await createTestKernel({ plugins: [echo, guard, recorder] });
    const result = await callTool(kernel, kernel.registries.tools.get('echo'), { text: 'hi' }, signal);
    expect(result.isError).toBe(true);
    const text = (result.content[0] as { text: string }).text;
    expect(text.startsWith('LOOM_ERR_FORBIDDEN: echo is switched off')).toBe(true);
    expect(text).toContain('denied by plugin policy:guard in hook beforeToolCall');
    expect(outcomes).toMatchObject([{ ok: false, errorCode: 'LOOM_ERR_FORBIDDEN' }]);
    await kernel.stop();
  });

  it('stop runs the stop hook, then onStop callbacks in reverse order of registration', async () => {
    const log: string[] = [];
    const plugin = (name: string): LoomPlugin => definePlugin({
      name,
      setup(ctx) {
        ctx.onStop(() => void log.push(`${name} first`));
        ctx.onStop(async () => void log.push(`${name} second`));
        ctx.hooks.stop.tap(() => void log.push(`${name} stop hook`));
      },
    });
    const kernel = await createTestKernel({ plugins: [plugin('svc:one'), plugin('svc:two')] });
    await kernel.stop();
    await kernel.stop();
    expect(log).toEqual(['svc:one stop hook', 'svc:two stop hook', 'svc:two second', 'svc:two first', 'svc:one second', 'svc:one first']);
  });

  it('a failing onStop does not keep the others from running', async () => {
    const log: string[] = [];
    const plugin = definePlugin({
      name: 'svc:flaky',
      setup(ctx) {
        ctx.onStop(() => void log.push('ran'));
        ctx.onStop(() => { throw new Error('cannot close'); });
      },
    });
    const kernel = await createTestKernel({ plugins: [plugin] });
    await expect(kernel.stop()).resolves.toBeUndefined();
    expect(log).toEqual(['ran']);
  });

  it('the start hook runs once every plugin is set up', async () => {
    const log: string[] = [];
    const first = definePlugin({ name: 'svc:first', setup: (ctx) => { log.push('setup first'); ctx.hooks.start.tap(() => void log.push('start hook')); } });
    const second = definePlugin({ name: 'svc:second', setup: () => void log.push('setup second') });
    const kernel = await createTestKernel({ plugins: [first, second] });
    expect(log).toEqual(['setup first', 'setup second', 'start hook']);
    await kernel.stop();
  });
});
