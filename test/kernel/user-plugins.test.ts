// A user's own spin-up mechanism and classifier (the docs/plugins.md examples) load from loom.config.ts and work.
import { isAlive } from '../../core/testing/loom-process.js';
import { until } from '../../core/testing/poll.js';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig, type Kernel } from '../../core/index.js';
import { createSilentLogger } from '../../core/log.js';
import { createTestKernel } from '../../core/testing/kernel.js';
import { createTempProject, REPO_ROOT, type TempProject } from '../fixtures/temp-project.js';

const projects: TempProject[] = [];
const kernels: Kernel[] = [];
afterAll(async () => {
  for (const kernel of kernels) await kernel.stop();
  projects.forEach((project) => project.remove());
});

async function kernelFromConfig(env: Record<string, string> = {}): Promise<Kernel> {
  const project = createTempProject({
    'package.json': '{}',
    'loom.config.ts': `import { scriptSpinUp } from ${JSON.stringify(`${REPO_ROOT}/test/fixtures/example-spin-up.ts`)};
import { docsClassifier } from ${JSON.stringify(`${REPO_ROOT}/test/fixtures/example-classifier.ts`)};
export default { plugins: [scriptSpinUp, docsClassifier], options: { 'classifier:docs': { keywords: ['docs', 'changelog'] } } };
`,
  });
  projects.push(project);
  const { config } = await loadConfig({ cwd: project.dir, env: {} });
  const kernel = await createTestKernel({ plugins: config.plugins, config: { options: config.options }, env });
  kernels.push(kernel);
  return kernel;
}

const work = { workId: 'w1', projectId: 'p', priority: 5, capability: 'writing' };

describe('user plugins from loom.config.ts', () => {
  it('a classifier is registered under its id, uses its options and passes when it has no opinion', async () => {
    const kernel = await kernelFromConfig();
    const docs = kernel.registries.classifiers.get('docs');
    expect(await docs.classify({ ...work, description: 'update the CHANGELOG' })).toEqual({ preferredAgentTypes: ['claude-code'], reason: 'mentions "changelog": documentation goes to claude-code first' });
    expect(await docs.classify({ ...work, description: 'fix the parser' })).toBeUndefined();
  });

  it("a classifier's env variable overrides its option", async () => {
    const kernel = await kernelFromConfig({ DOCS_AGENT_TYPE: 'copilot' });
    expect((await kernel.registries.classifiers.get('docs').classify({ ...work, description: 'docs for the API' }))?.preferredAgentTypes).toEqual(['copilot']);
  });

  it('a spin-up mechanism validates targets with its schema, starts a process and stops it', async () => {
    const kernel = await kernelFromConfig();
    const mechanism = kernel.registries.spinUps.get('script');
    expect(mechanism.targetSchema.safeParse({ args: [] }).success).toBe(false);
    const target = mechanism.targetSchema.parse({ command: process.execPath, args: ['-e', 'setTimeout(() => {}, 60000)'] });
    const { handle } = await mechanism.start({ operationId: 'op1', projectId: 'p', targetId: 'local', target, env: { LOOMINAL_PROJECT_ID: 'p' }, withheldEnv: [], signal: new AbortController().signal, log: createSilentLogger() });
    const pid = Number(handle.pid);
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(true);
    await mechanism.stop!({ handle, target, log: createSilentLogger() });
    await until(() => !isAlive(pid), `process ${pid} to stop`, 10_000);
  });
});
