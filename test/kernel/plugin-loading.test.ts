// The loader: malformed plugins, duplicates, missing dependencies, cycles, options and their env mapping, service order.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createKernel, definePlugin, defineService, isLoomError, type LoomPlugin } from '../../core/index.js';
import { parseConfig } from '../../core/config/load.js';
import { createSilentLogger } from '../../core/log.js';
import { createTestKernel } from '../../core/testing/kernel.js';

const env = { LOOMINAL_PROJECT_ID: 'kernel-test', LOOMINAL_AGENT_ID: 'b'.repeat(32), LOOMINAL_PRINCIPAL: 'tester@test' };

function kernelWith(entries: Array<{ plugin: unknown; origin: string }>, config = {}, extraEnv: Record<string, string> = {}) {
  return createKernel({ config: parseConfig({ logLevel: 'silent', ...config }), plugins: entries as never, env: { ...env, ...extraEnv }, log: createSilentLogger() });
}

function thrown(fn: () => unknown): { code: string; message: string; details: Record<string, unknown> | undefined } {
  try {
    fn();
  } catch (err) {
    if (isLoomError(err)) return { code: err.code, message: err.message, details: err.details };
    throw err;
  }
  throw new Error('expected an error, none was thrown');
}

async function rejected(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (err) {
    if (isLoomError(err)) return { code: err.code, message: err.message, details: err.details };
    throw err;
  }
  throw new Error('expected a rejection, it resolved');
}

const noop = (name: string, extra: Partial<LoomPlugin> = {}): LoomPlugin => definePlugin({ name, setup() {}, ...extra });

describe('plugin loading', () => {
  it('rejects a plugin without a setup function, naming where it came from', () => {
    const error = thrown(() => kernelWith([{ plugin: { name: 'tools:broken' }, origin: 'loom.config.ts plugins[0]' }]));
    expect(error.code).toBe('LOOM_ERR_MALFORMED_PLUGIN');
    expect(error.message).toContain('"tools:broken"');
    expect(error.message).toContain('loom.config.ts plugins[0]');
    expect(error.message).toContain('"setup" must be a function');
  });

  it('rejects a plugin whose name is not kind:id', () => {
    const error = thrown(() => kernelWith([{ plugin: { name: 'NoKind', setup() {} }, origin: 'preset warp' }]));
    expect(error.code).toBe('LOOM_ERR_MALFORMED_PLUGIN');
    expect(error.message).toContain('"kind:id"');
  });

  it('rejects something that is not an object at all', () => {
    expect(thrown(() => kernelWith([{ plugin: 42, origin: 'test plugins[3]' }])).message).toContain('it is not an object');
  });

  it('rejects two plugins with one name and shows both origins', () => {
    const error = thrown(() =>
      kernelWith([
        { plugin: noop('spin-up:ssh'), origin: 'preset weft' },
        { plugin: noop('spin-up:ssh'), origin: 'loom.config.ts plugins[1]' },
      ]),
    );
    expect(error.code).toBe('LOOM_ERR_DUPLICATE_PLUGIN');
    expect(error.message).toContain('from preset weft and from loom.config.ts plugins[1]');
    expect(error.details?.origins).toEqual(['preset weft', 'loom.config.ts plugins[1]']);
  });

  it('does not count an excluded plugin as a duplicate', () => {
    const kernel = kernelWith([{ plugin: noop('tools:a'), origin: 'preset warp' }, { plugin: noop('tools:b'), origin: 'preset warp' }], { exclude: ['tools:a'] });
    expect(kernel.plugins).toEqual(['tools:b']);
  });

  it('reports a missing plugin dependency by both names', () => {
    const error = thrown(() => kernelWith([{ plugin: noop('tools:work', { dependsOn: ['service:registry'] }), origin: 'preset warp' }]));
    expect(error.code).toBe('LOOM_ERR_MISSING_DEPENDENCY');
    expect(error.message).toContain('"tools:work" depends on plugin "service:registry"');
  });

  it('reports a service that no loaded plugin provides', () => {
    const registry = defineService<{ count(): number }>('test:registry');
    const error = thrown(() => kernelWith([{ plugin: noop('tools:agents', { uses: [registry] }), origin: 'preset warp' }]));
    expect(error.code).toBe('LOOM_ERR_MISSING_DEPENDENCY');
    expect(error.message).toContain('uses service "test:registry"');
    expect(error.details).toMatchObject({ plugin: 'tools:agents', missing: 'test:registry' });
  });

  it('reports a dependency cycle with the whole circle', () => {
    const error = thrown(() =>
      kernelWith([
        { plugin: noop('a:one', { dependsOn: ['a:two'] }), origin: 'test' },
        { plugin: noop('a:two', { dependsOn: ['a:three'] }), origin: 'test' },
        { plugin: noop('a:three', { dependsOn: ['a:one'] }), origin: 'test' },
      ]),
    );
    expect(error.code).toBe('LOOM_ERR_DEPENDENCY_CYCLE');
    expect(error.message).toContain('a:one → a:two → a:three → a:one');
  });

  it('sets up a service provider before its user whatever the list order', async () => {
    const counter = defineService<{ next(): number }>('test:counter');
    const order: string[] = [];
    const user = definePlugin({
      name: 'tools:user',
      uses: [counter],
      setup(ctx) {
        order.push(ctx.name);
        expect(ctx.use(counter).next()).toBe(1);
      },
    });
    const provider = definePlugin({
      name: 'service:counter',
      provides: [counter],
      setup(ctx) {
        order.push(ctx.name);
        let n = 0;
        ctx.provide(counter, { next: () => ++n });
      },
    });
    const kernel = await createTestKernel({ plugins: [user, provider] });
    expect(order).toEqual(['service:counter', 'tools:user']);
    expect(kernel.plugins).toEqual(['service:counter', 'tools:user']);
    expect(kernel.use(counter).next()).toBe(2);
    await kernel.stop();
  });

  it('refuses a second provider of one service, naming both', async () => {
    const ref = defineService<number>('test:twice');
    const first = definePlugin({ name: 'service:first', setup: (ctx) => ctx.provide(ref, 1) });
    const second = definePlugin({ name: 'service:second', setup: (ctx) => ctx.provide(ref, 2) });
    const error = await rejected(createTestKernel({ plugins: [first, second] }));
    expect(error.code).toBe('LOOM_ERR_DUPLICATE_ID');
    expect(error.message).toContain('by service:first and by service:second');
  });

  it('names the plugin whose setup threw', async () => {
    const error = await rejected(createTestKernel({ plugins: [definePlugin({ name: 'tools:fragile', setup() { throw new Error('disk on fire'); } })] }));
    expect(error.code).toBe('LOOM_ERR_PLUGIN_SETUP');
    expect(error.message).toContain('plugin tools:fragile failed to set up: disk on fire');
  });
});

describe('plugin options', () => {
  const portPlugin = definePlugin({
    name: 'spin-up:ssh',
    options: z.object({ port: z.coerce.number().int().max(65535).default(22), host: z.object({ name: z.string().default('localhost') }).default({ name: 'localhost' }) }),
    env: { SSH_PORT: 'port', SSH_HOST: 'host.name' },
    setup() {},
  });

  it('rejects invalid options with the plugin and the full option path', () => {
    const error = thrown(() => kernelWith([{ plugin: portPlugin, origin: 'preset weft' }], { options: { 'spin-up:ssh': { port: 'twenty-two' } } }));
    expect(error.code).toBe('LOOM_ERR_INVALID_OPTIONS');
    expect(error.message).toContain('plugin spin-up:ssh');
    expect(error.message).toContain('options["spin-up:ssh"].port');
  });

  it('rejects options for a plugin that takes none', () => {
    const error = thrown(() => kernelWith([{ plugin: noop('tools:plain'), origin: 'preset warp' }], { options: { 'tools:plain': { x: 1 } } }));
    expect(error.code).toBe('LOOM_ERR_INVALID_OPTIONS');
    expect(error.message).toContain('takes no options');
  });

  it('rejects options addressed to no known plugin', () => {
    const error = thrown(() => kernelWith([{ plugin: noop('tools:plain'), origin: 'preset warp' }], { options: { 'tools:nobody': {} } }));
    expect(error.code).toBe('LOOM_ERR_INVALID_OPTIONS');
    expect(error.message).toContain('options["tools:nobody"] names no known plugin');
  });

  it('maps environment variables onto option paths, overriding the config', async () => {
    let seen: unknown;
    const plugin = definePlugin({ ...portPlugin, setup: (ctx) => void (seen = ctx.options) });
    await createTestKernel({ plugins: [plugin], config: { options: { 'spin-up:ssh': { port: 2200 } } }, env: { SSH_PORT: '2222', SSH_HOST: 'build-box' } });
    expect(seen).toEqual({ port: 2222, host: { name: 'build-box' } });
  });

  it('reports an env value that breaks the schema with the option path', async () => {
    const error = await rejected(createTestKernel({ plugins: [portPlugin], env: { SSH_PORT: '99999' } }));
    expect(error.code).toBe('LOOM_ERR_INVALID_OPTIONS');
    expect(error.message).toContain('options["spin-up:ssh"].port');
  });
});
