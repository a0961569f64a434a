// `loom init`: a commented starter loom.config.ts that imports from 'loominal' and loads; never overwrites without --force.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/index.js';
import { createTempProject, type TempProject } from '../fixtures/temp-project.js';
import { runLoom } from './run-loom.js';

const projects: TempProject[] = [];
afterEach(() => {
  while (projects.length) projects.pop()!.remove();
});
function project(linkLoominal = true): TempProject {
  const created = createTempProject({ 'package.json': '{"name":"fresh"}' }, { linkLoominal });
  projects.push(created);
  return created;
}

describe('loom init', () => {
  it('writes a commented starter config that imports from loominal and loads', async () => {
    const { dir } = project();
    const result = await runLoom(['init'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`wrote ${join(dir, 'loom.config.ts')} (preset warp)`);
    expect(result.stdout).toContain('it loads');
    const text = readFileSync(join(dir, 'loom.config.ts'), 'utf8');
    expect(text).toContain("import { defineConfig } from 'loominal';");
    expect(text.split('\n').filter((line) => line.trim().startsWith('//')).length).toBeGreaterThan(10);
    const loaded = await loadConfig({ cwd: dir, env: {} });
    expect(loaded.config).toMatchObject({ preset: 'warp', plugins: [], exclude: [], options: {} });
  });

  it('refuses to overwrite an existing config without --force, and leaves it untouched', async () => {
    const { dir } = project();
    writeFileSync(join(dir, 'loom.config.ts'), '// mine\nexport default {};\n');
    const result = await runLoom(['init'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('LOOM_ERR_CONFLICT');
    expect(result.stderr).toContain('loom init --force');
    expect(readFileSync(join(dir, 'loom.config.ts'), 'utf8')).toBe('// mine\nexport default {};\n');
  });

  it('replaces it with --force, with the preset asked for', async () => {
    const { dir } = project();
    writeFileSync(join(dir, 'loom.config.ts'), 'export default {};\n');
    const result = await runLoom(['init', '--force', '--preset', 'pattern', '--json'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ file: join(dir, 'loom.config.ts'), preset: 'pattern', loads: true });
    expect((await loadConfig({ cwd: dir, env: {} })).config.preset).toBe('pattern');
  });

  it('an unknown preset is a usage error (exit 2) and writes nothing', async () => {
    const { dir } = project();
    const result = await runLoom(['init', '--preset', 'loom'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("argument 'loom' is invalid");
    expect(existsSync(join(dir, 'loom.config.ts'))).toBe(false);
  });

  it("says how to install loominal when the project cannot resolve it yet", async () => {
    const { dir } = project(false);
    const result = await runLoom(['init', '--json'], { cwd: dir });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { loads: boolean; problem: string };
    expect(report.loads).toBe(false);
    expect(report.problem).toContain('LOOM_ERR_CONFIG_LOAD');
    const human = await runLoom(['init', '--force'], { cwd: dir });
    expect(human.stderr).toContain('npm install --save-dev loominal');
  });
});
