// `loom doctor`: config, identity, NATS reachability, JetStream, server version and what would start; exit 1 on failure.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnNatsProcess, startNatsServer, waitForExit, type NatsServerHandle } from '../../core/testing/nats-server.js';
import type { DoctorReport } from '../../cli/doctor-checks.js';
import { createTempProject, EXAMPLE_TOOLS, freePort, type TempProject } from '../fixtures/temp-project.js';
import { runLoom } from './run-loom.js';

let server: NatsServerHandle;
let project: TempProject;
let home: string;
const env = () => ({ LOOMINAL_HOME: home, LOOMINAL_PROJECT_ID: 'doctor-test', NATS_URL: server.url });

beforeAll(async () => {
  server = await startNatsServer();
  home = mkdtempSync(join(tmpdir(), 'loom-home-'));
  project = createTempProject({
    'package.json': '{}',
    'loom.config.ts': `import { exampleTools } from ${JSON.stringify(EXAMPLE_TOOLS)};\nexport default { preset: 'warp', plugins: [exampleTools] };\n`,
  });
});

afterAll(async () => {
  await server?.stop();
  project?.remove();
  rmSync(home, { recursive: true, force: true });
});

async function doctor(cwd: string, extraEnv: Record<string, string>): Promise<{ code: number | null; report: DoctorReport; stderr: string }> {
  const result = await runLoom(['doctor', '--json'], { cwd, env: extraEnv });
  return { code: result.code, report: JSON.parse(result.stdout) as DoctorReport, stderr: result.stderr };
}

const check = (report: DoctorReport, name: string) => report.checks.find((c) => c.name === name);

describe('loom doctor', () => {
  it('reports a valid config, reachable NATS with JetStream, the server version, identity and what would start', async () => {
    const { code, report } = await doctor(project.dir, env());
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.config).toEqual({ file: join(project.dir, 'loom.config.ts'), preset: 'warp' });
    expect(report.project).toEqual({ id: 'doctor-test', source: 'LOOMINAL_PROJECT_ID', path: project.dir });
    expect(report.agent?.id).toMatch(/^[0-9a-f]{32}$/);
    expect(report.agent?.source).toBe('sha256(hostname + project path)');
    expect(report.nats).toMatchObject({ url: server.url, source: 'NATS_URL', jetstream: true });
    expect(report.nats?.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(check(report, 'jetstream')?.status).toBe('ok');
    expect(report.wouldStart?.start).toEqual({ preset: 'warp', plugins: expect.arrayContaining(['tools:example']) as unknown as string[] });
    expect(report.wouldStart?.up[0]).toMatch(/^NATS with JetStream/);
  });

  it('prints a readable report ending in "all good"', async () => {
    const result = await runLoom(['doctor'], { cwd: project.dir, env: env() });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ok +nats +reachable at nats:\/\/127\.0\.0\.1:\d+ \(from NATS_URL\)/);
    expect(result.stdout).toContain('loom start  → warp');
    expect(result.stdout.trim().endsWith('loom doctor: all good')).toBe(true);
  });

  it('says where the agent id came from when LOOMINAL_AGENT_ID sets it', async () => {
    const { report } = await doctor(project.dir, { ...env(), LOOMINAL_AGENT_ID: 'f'.repeat(32) });
    expect(report.agent).toMatchObject({ id: 'f'.repeat(32), source: 'LOOMINAL_AGENT_ID' });
  });

  it('fails with exit 1 when NATS is unreachable', async () => {
    const { code, report } = await doctor(project.dir, { ...env(), NATS_URL: `nats://127.0.0.1:${await freePort()}` });
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    expect(check(report, 'nats')).toMatchObject({ status: 'fail', detail: expect.stringContaining('LOOM_ERR_NATS_UNREACHABLE') as unknown as string });
  });

  it('fails with exit 1 when the server runs without JetStream', async () => {
    const plain: { child: ChildProcess; port: number } = await spawnNatsProcess(['-a', '127.0.0.1', '-p', '-1']);
    try {
      const { code, report } = await doctor(project.dir, { ...env(), NATS_URL: `nats://127.0.0.1:${plain.port}` });
      expect(code).toBe(1);
      expect(check(report, 'nats')?.status).toBe('ok');
      expect(check(report, 'jetstream')?.status).toBe('fail');
      expect(report.nats?.jetstream).toBe(false);
    } finally {
      plain.child.kill('SIGTERM');
      await waitForExit(plain.child);
    }
  });

  it('fails with exit 1 on an invalid config, naming the file and the path', async () => {
    const broken = createTempProject({ 'package.json': '{}', 'loom.config.ts': `export default { preset: 'loom' };\n` });
    try {
      const { code, report } = await doctor(broken.dir, env());
      expect(code).toBe(1);
      expect(check(report, 'config')).toMatchObject({ status: 'fail' });
      expect(check(report, 'config')?.detail).toContain('LOOM_ERR_CONFIG_INVALID: loom.config.ts › preset:');
    } finally {
      broken.remove();
    }
  });

  it('without a running server says what it would start, and fails only when the binary is missing', async () => {
    const port = await freePort();
    const idle = createTempProject({ 'package.json': '{}', 'loom.config.ts': `export default { nats: { port: ${port} } };\n` });
    try {
      const ok = await doctor(idle.dir, { LOOMINAL_HOME: home });
      expect(ok.code).toBe(0);
      expect(check(ok.report, 'nats')).toMatchObject({ status: 'warn', detail: expect.stringContaining(`no server answers on nats://127.0.0.1:${port}`) as unknown as string });
      expect(check(ok.report, 'preset')?.status).toBe('warn');
      const missing = await doctor(idle.dir, { LOOMINAL_HOME: home, LOOMINAL_NATS_SERVER: join(home, 'missing-binary') });
      expect(missing.code).toBe(1);
      expect(check(missing.report, 'nats')?.detail).toContain('sudo apt-get install -y nats-server');
    } finally {
      idle.remove();
    }
  });
});
