// Config loading: loom.config.ts through cosmiconfig + jiti, errors with file/path/expected form, env overrides, legacy file.
import { afterEach, describe, expect, it } from 'vitest';
import { isLoomError, loadConfig, type LoadedConfig } from '../../core/index.js';
import { mapLegacyConfig } from '../../cli/legacy-config.js';
import { loadProjectConfig } from '../../cli/runtime.js';
import { createKernel } from '../../core/kernel.js';
import { createSilentLogger } from '../../core/log.js';
import { createTempProject, EXAMPLE_TOOLS, REPO_ROOT, type TempProject } from '../fixtures/temp-project.js';

const projects: TempProject[] = [];
afterEach(() => {
  while (projects.length) projects.pop()!.remove();
});

function project(files: Record<string, string>, options: { linkLoominal?: boolean } = {}): TempProject {
  const created = createTempProject(files, options);
  projects.push(created);
  return created;
}

async function loadError(cwd: string, env: Record<string, string> = {}): Promise<{ code: string; message: string }> {
  try {
    await loadConfig({ cwd, env });
  } catch (err) {
    if (isLoomError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected the config to fail');
}

describe('loom.config.ts', () => {
  it('is found by cosmiconfig and loaded through jiti, TypeScript syntax and all', async () => {
    const { dir } = project({
      'loom.config.ts': `import { defineConfig } from 'loominal';
interface Tuning { port: number }
const tuning: Tuning = { port: 4333 };
enum Level { Quiet = 'warn' }
export default defineConfig({ preset: 'pattern', project: 'typed-project', nats: { port: tuning.port }, logLevel: Level.Quiet } satisfies Parameters<typeof defineConfig>[0]);
`,
    }, { linkLoominal: true });
    const loaded = await loadConfig({ cwd: dir, env: {} });
    expect(loaded.filepath).toBe(`${dir}/loom.config.ts`);
    expect(loaded.config).toMatchObject({ preset: 'pattern', project: 'typed-project', nats: { port: 4333 }, logLevel: 'warn', storage: 'nats-kv', plugins: [], exclude: [] });
  });

  it('is searched for from a subdirectory up to the project root', async () => {
    const { dir, write } = project({ 'package.json': '{"name":"x"}', 'loom.config.ts': `export default { project: 'from-root' };\n` });
    write('src/deep/keep.txt', '');
    const loaded = await loadConfig({ cwd: `${dir}/src/deep`, env: {} });
    expect(loaded.config.project).toBe('from-root');
  });

  it('falls back to defaults when there is no config file', async () => {
    const { dir } = project({ 'package.json': '{"name":"empty"}' });
    const loaded = await loadConfig({ cwd: dir, env: {} });
    expect(loaded.filepath).toBeUndefined();
    expect(loaded.config).toEqual({ nats: {}, storage: 'nats-kv', logLevel: 'info', plugins: [], exclude: [], options: {} });
  });

  it('an unknown key names the file, the full path and the keys expected there', async () => {
    const { dir } = project({ 'package.json': '{}', 'loom.config.ts': `export default { nats: { url: 'nats://127.0.0.1:4222', colour: 'blue' } };\n` });
    const error = await loadError(dir);
    expect(error.code).toBe('LOOM_ERR_CONFIG_INVALID');
    expect(error.message).toBe('LOOM_ERR_CONFIG_INVALID: loom.config.ts › nats.colour: unknown key (expected one of: url, user, pass, token, creds, storeDir, port, replicas, inboxPrefix)');
  });

  it('a bad value names the file, the path and the expected form', async () => {
    const { dir } = project({ 'package.json': '{}', 'loom.config.ts': `export default { nats: { url: 'http://example.com' }, exclude: ['not a name'] };\n` });
    const error = await loadError(dir);
    expect(error.message).toContain('loom.config.ts › nats.url: expected a nats://, tls://, ws:// or wss:// URL');
    expect(error.message).toContain('loom.config.ts › exclude[0]: expected a plugin name "kind:id"');
  });

  it('something in plugins that is not a plugin is reported at its index', async () => {
    const { dir } = project({ 'package.json': '{}', 'loom.config.ts': `export default { plugins: [{ name: 'x:y', setup() {} }, 'spin-up:ssh'] };\n` });
    expect((await loadError(dir)).message).toContain('loom.config.ts › plugins[1]: expected a plugin object from define*()');
  });

  it('a config that throws while loading is a load error naming the file', async () => {
    const { dir } = project({ 'package.json': '{}', 'loom.config.ts': `throw new Error('half-written');\nexport default {};\n` });
    const error = await loadError(dir);
    expect(error.code).toBe('LOOM_ERR_CONFIG_LOAD');
    expect(error.message).toContain('half-written');
  });

  it('environment variables override the file', async () => {
    const { dir } = project({ 'package.json': '{}', 'loom.config.ts': `export default { nats: { url: 'nats://file:4222', user: 'file-user' }, logLevel: 'info', storage: 'nats-kv' };\n` });
    const env = { NATS_URL: 'tls://env:4443', NATS_USER: 'env-user', NATS_PASS: 'env-pass', NATS_TOKEN: 'tok', NATS_CREDS: '/etc/loom.creds', LOG_LEVEL: 'debug', LOOMINAL_STORAGE: 'filesystem' };
    const { config } = await loadConfig({ cwd: dir, env });
    expect(config.nats).toEqual({ url: 'tls://env:4443', user: 'env-user', pass: 'env-pass', token: 'tok', creds: '/etc/loom.creds' });
    expect(config.logLevel).toBe('debug');
    expect(config.storage).toBe('filesystem');
  });

  it('an environment override is validated like the file', async () => {
    const { dir } = project({ 'package.json': '{}' });
    const error = await loadError(dir, { NATS_URL: 'localhost:4222' });
    expect(error.code).toBe('LOOM_ERR_CONFIG_INVALID');
    expect(error.message).toContain('nats.url: expected a nats://');
  });

  it('LOOMINAL_CONFIG loads the file it names instead of searching', async () => {
    const { dir } = project({ 'package.json': '{}', 'loom.config.ts': `export default { project: 'searched' };\n`, 'config/team.config.ts': `export default { project: 'explicit' };\n` });
    expect((await loadConfig({ cwd: dir, env: { LOOMINAL_CONFIG: 'config/team.config.ts' } })).config.project).toBe('explicit');
    const absolute = await loadConfig({ cwd: '/', env: { LOOMINAL_CONFIG: `${dir}/config/team.config.ts` } });
    expect(absolute.filepath).toBe(`${dir}/config/team.config.ts`);
  });

  it('LOOMINAL_CONFIG naming a missing file is a load error naming it', async () => {
    const { dir } = project({ 'package.json': '{}' });
    const error = await loadError(dir, { LOOMINAL_CONFIG: 'nope.config.ts' });
    expect(error.code).toBe('LOOM_ERR_CONFIG_LOAD');
    expect(error.message).toContain('nope.config.ts');
  });

  it("the repository's own loom.config.ts loads and is valid", async () => {
    const loaded = await loadConfig({ cwd: REPO_ROOT, env: {} });
    expect(loaded.filepath).toBe(`${REPO_ROOT}/loom.config.ts`);
    expect(loaded.config.preset).toBe('warp');
  });
});

describe('.loominal-config.json', () => {
  it('maps namespace, channels and boundaries onto config keys', async () => {
    const legacy = {
      namespace: 'legacy-ns',
      channels: [{ name: 'planning', description: 'Sprint planning' }],
      boundaries: { corporate: { patterns: ['**/internal/**'] } },
    };
    const { dir } = project({ 'package.json': '{}', '.loominal-config.json': JSON.stringify(legacy) });
    const loaded: LoadedConfig = await loadProjectConfig(dir, {});
    expect(loaded.legacyFile).toBe(`${dir}/.loominal-config.json`);
    expect(loaded.config.project).toBe('legacy-ns');
    expect(loaded.config.options['service:channels']).toEqual({ channels: legacy.channels });
    expect(loaded.config.options['classifier:boundary']).toEqual({ boundaries: legacy.boundaries });
  });

  it('loom.config.ts wins over the legacy namespace', () => {
    const mapped = mapLegacyConfig({ namespace: 'legacy' }, { project: 'modern' });
    expect(mapped.project).toBe('modern');
  });

  it('a legacy file that is not a JSON object is a load error naming it', async () => {
    const { dir } = project({ 'package.json': '{}', '.loominal-config.json': '[1, 2]' });
    await expect(loadProjectConfig(dir, {})).rejects.toThrow(/LOOM_ERR_CONFIG_LOAD: could not read .*\.loominal-config\.json: expected a JSON object/);
  });
});

describe('plugins and exclude from the config', () => {
  it('adds a user plugin imported in loom.config.ts and removes one named in exclude', async () => {
    const { dir } = project({
      'package.json': '{}',
      'loom.config.ts': `import { exampleTools } from ${JSON.stringify(EXAMPLE_TOOLS)};
import { definePlugin } from 'loominal';
export default { plugins: [exampleTools, definePlugin({ name: 'audit:noisy', setup() {} })], exclude: ['audit:noisy'] };
`,
    }, { linkLoominal: true });
    const { config } = await loadConfig({ cwd: dir, env: {} });
    expect(config.plugins.map((plugin) => plugin.name)).toEqual(['tools:example', 'audit:noisy']);
    const kernel = createKernel({ config, plugins: config.plugins.map((plugin, index) => ({ plugin, origin: `loom.config.ts plugins[${index}]` })), env: { LOOMINAL_PROJECT_ID: 'cfg' }, log: createSilentLogger() });
    expect(kernel.plugins).toEqual(['tools:example']);
    await kernel.start();
    expect(kernel.registries.tools.ids()).toEqual(['find_note', 'greet']);
    await kernel.stop();
  });
});
