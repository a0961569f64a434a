// `loom start`: runs the preset loom.config.ts picks, through the preset → runner map.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { presetRunners } from '../../cli/preset-runners.js';
import { spawnMcpServer } from '../../core/testing/mcp-client.js';
import { createTempProject, exampleToolsConfig, freePort, type TempProject } from '../fixtures/temp-project.js';
import { runLoom } from './run-loom.js';

const projects: TempProject[] = [];
const home = mkdtempSync(join(tmpdir(), 'loom-home-'));
afterAll(() => {
  projects.forEach((project) => project.remove());
  rmSync(home, { recursive: true, force: true });
});

describe('loom start', () => {
  it('serves the MCP preset the config picks, with the config plugins', async () => {
    const project = createTempProject({
      'package.json': '{}',
      'loom.config.ts': await exampleToolsConfig('shuttle', { project: 'start-test' }),
    });
    projects.push(project);
    const session = await spawnMcpServer({ args: ['start'], cwd: project.dir, env: { LOOMINAL_HOME: home, NATS_URL: `nats://127.0.0.1:${await freePort()}` } });
    try {
      expect(session.client.getServerVersion()?.name).toBe('loom-shuttle');
      expect(await session.call('greet', { name: 'start' })).toEqual({ greeting: 'hello, start', projectId: 'start-test' });
    } finally {
      await session.close();
    }
  });

  it('without a preset in the config is a usage error (exit 2) that says what to add', async () => {
    const project = createTempProject({ 'package.json': '{}', 'loom.config.ts': 'export default {};\n' });
    projects.push(project);
    const result = await runLoom(['start'], { cwd: project.dir, env: { LOOMINAL_HOME: home } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`LOOM_ERR_CONFIG_INVALID: ${join(project.dir, 'loom.config.ts')} › preset: "loom start" needs a preset, e.g. preset: 'warp'`);
  });

  it('has a runner for every stdio MCP preset', () => {
    for (const preset of ['warp', 'pattern', 'shuttle'] as const) expect(typeof presetRunners[preset]).toBe('function');
  });
});
