// classifier:boundary implements the design's table and path-glob boundaries from options.
import { describe, expect, it } from 'vitest';
import { createTestKernel } from '../../core/testing/kernel.js';
import type { RoutableWork } from '../../core/index.js';
import { boundaryClassifier, matchesGlob } from '../../plugins/classifiers/boundary/index.js';

const work = (patch: Partial<RoutableWork> = {}): RoutableWork => ({ workId: 'w1', projectId: 'p', description: 'do it', capability: 'typescript', priority: 5, ...patch });

async function classifier(options?: Record<string, unknown>) {
  const kernel = await createTestKernel({ plugins: [boundaryClassifier], ...(options ? { config: { options: { 'classifier:boundary': options } } } : {}) });
  return kernel.registries.classifiers.get('boundary');
}

describe('classifier:boundary', () => {
  it('routes corporate work to copilot only (the copilot and copilot-cli agent types)', async () => {
    const decision = await (await classifier()).classify(work({ boundary: 'corporate' }));
    expect(decision).toMatchObject({ boundary: 'corporate', allowedAgentTypes: ['copilot', 'copilot-cli'], preferredAgentTypes: ['copilot', 'copilot-cli'] });
    expect(decision?.reason).toContain('copilot or copilot-cli only');
  });

  it('lets a copilot-cli agent (the GitHub Copilot CLI) take corporate work, and no other type', async () => {
    const decision = await (await classifier()).classify(work({ boundary: 'corporate' }));
    expect(decision?.allowedAgentTypes).toContain('copilot-cli');
    expect(decision?.allowedAgentTypes).not.toContain('claude-code');
  });

  it('prefers copilot for corporate-adjacent work without forbidding others', async () => {
    const decision = await (await classifier()).classify(work({ boundary: 'corporate-adjacent' }));
    expect(decision?.allowedAgentTypes).toBeUndefined();
    expect(decision?.preferredAgentTypes).toEqual(['copilot', 'copilot-cli']);
  });

  it('prefers claude-code for personal work', async () => {
    const decision = await (await classifier()).classify(work({ boundary: 'personal' }));
    expect(decision?.allowedAgentTypes).toBeUndefined();
    expect(decision?.preferredAgentTypes).toEqual(['claude-code']);
  });

  it('lets any agent take open-source work, and says so', async () => {
    const decision = await (await classifier()).classify(work({ boundary: 'open-source' }));
    expect(decision).toMatchObject({ boundary: 'open-source' });
    expect(decision?.allowedAgentTypes).toBeUndefined();
    expect(decision?.preferredAgentTypes).toBeUndefined();
    expect(decision?.reason).toContain('any agent');
  });

  it('has no opinion on work without a boundary or matching path', async () => {
    expect(await (await classifier()).classify(work())).toBeUndefined();
    expect(await (await classifier({ boundaries: { corporate: { patterns: ['**/internal/**'] } } })).classify(work({ paths: ['src/public/a.ts'] }))).toBeUndefined();
  });

  it('derives the boundary from path globs in options (the .loominal-config.json form)', async () => {
    const c = await classifier({ boundaries: { corporate: { patterns: ['**/internal/**', '**/proprietary/**'] } } });
    const decision = await c.classify(work({ paths: ['README.md', 'src/internal/billing.ts'] }));
    expect(decision).toMatchObject({ boundary: 'corporate', allowedAgentTypes: ['copilot', 'copilot-cli'] });
    expect(decision?.reason).toContain('src/internal/billing.ts');
    expect(decision?.reason).toContain('**/internal/**');
  });

  it('lets the stricter boundary win when a path contradicts the marked boundary', async () => {
    const c = await classifier({ boundaries: { corporate: { patterns: ['**/internal/**'] } } });
    expect(await c.classify(work({ boundary: 'personal', paths: ['internal/x.ts'] }))).toMatchObject({ boundary: 'corporate' });
    expect(await c.classify(work({ boundary: 'corporate', paths: ['docs/x.md'] }))).toMatchObject({ boundary: 'corporate' });
  });

  it('accepts custom boundaries and overrides of the built-in rules', async () => {
    const c = await classifier({ boundaries: { 'client-a': { patterns: ['clients/a/**'], allowedAgentTypes: ['codex'] }, personal: { preferredAgentTypes: ['aider'] } } });
    expect(await c.classify(work({ paths: ['clients/a/main.go'] }))).toMatchObject({ boundary: 'client-a', allowedAgentTypes: ['codex'] });
    expect(await c.classify(work({ boundary: 'personal' }))).toMatchObject({ preferredAgentTypes: ['aider'] });
  });

  it('rejects options with an unknown key or a boundary name that is not a token, naming the path', async () => {
    await expect(classifier({ boundaries: { corporate: { pattern: ['x'] } } })).rejects.toThrow(/classifier:boundary.*pattern/);
    await expect(classifier({ boundaries: { 'Corp.X': { patterns: [] } } })).rejects.toThrow(/LOOM_ERR_INVALID_OPTIONS/);
  });
});

describe('path globs', () => {
  it.each([
    ['src/internal/a.ts', '**/internal/**', true],
    ['internal/a.ts', '**/internal/**', true],
    ['src/internals/a.ts', '**/internal/**', false],
    ['src/a.ts', 'src/*.ts', true],
    ['src/b/a.ts', 'src/*.ts', false],
    ['src/b/a.ts', 'src/**/*.ts', true],
    ['src/a.ts', 'src/**/*.ts', true],
    ['a.md', '*.{md,txt}', true],
    ['a.js', '*.{md,txt}', false],
    ['./docs/x.md', 'docs/?.md', true],
    ['docs\\x.md', 'docs/*.md', true],
    ['a+b(c).ts', 'a+b(c).ts', true],
  ])('%s against %s is %s', (path, glob, expected) => {
    expect(matchesGlob(path, glob)).toBe(expected);
  });
});
