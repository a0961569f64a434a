// createTestKernel: a fresh kernel for one test, with silent logs and an explicit env (never the developer's).
import { createKernel, type Kernel } from '../kernel.js';
import { parseConfig } from '../config/load.js';
import type { LoomConfigInput } from '../config/schema.js';
import type { LoomPlugin } from '../plugin.js';
import { createSilentLogger } from '../log.js';

export interface TestKernelOptions {
  plugins?: LoomPlugin[];
  config?: LoomConfigInput;
  env?: Record<string, string | undefined>;
  cwd?: string;
  start?: boolean;
}

export async function createTestKernel(options: TestKernelOptions = {}): Promise<Kernel> {
  const env = { LOOMINAL_PROJECT_ID: 'test-project', LOOMINAL_AGENT_ID: 'a'.repeat(32), LOOMINAL_PRINCIPAL: 'tester@test', ...options.env };
  const kernel = createKernel({
    config: parseConfig({ logLevel: 'silent', ...options.config }, env),
    plugins: (options.plugins ?? []).map((plugin, index) => ({ plugin, origin: `test plugins[${index}]` })),
    env,
    log: createSilentLogger(),
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  if (options.start !== false) await kernel.start();
  return kernel;
}
