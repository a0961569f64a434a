// A temp project whose loom.config.ts adds the example tool group to `loom warp`, and an env with NATS pointing nowhere.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTempProject, exampleToolsConfig, freePort, type TempProject } from '../fixtures/temp-project.js';

export interface McpProject {
  project: TempProject;
  env: Record<string, string>;
}

export async function createMcpProject(): Promise<McpProject> {
  const project = createTempProject({
    'package.json': '{"name":"mcp-fixture-project","private":true}',
    'loom.config.ts': await exampleToolsConfig('warp'),
  });
  // Nothing listens on this port: any attempt to use NATS would fail, so the tools must work without it.
  const deadNats = `nats://127.0.0.1:${await freePort()}`;
  const env = {
    NATS_URL: deadNats,
    LOOMINAL_HOME: mkdtempSync(join(tmpdir(), 'loom-home-')),
    LOOMINAL_PROJECT_ID: 'mcp-e2e',
    LOOMINAL_AGENT_ID: 'e'.repeat(32),
    LOOMINAL_PRINCIPAL: 'tester@mcp',
  };
  return { project, env };
}
