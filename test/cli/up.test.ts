// `loom up`: starts a managed nats-server (never the machine's 4222), prints what runs, and stops it on SIGTERM/Ctrl-C.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, describe, expect, it } from 'vitest';
import { installHint } from '../../core/nats/binary.js';
import { startNatsServer } from '../../core/testing/nats-server.js';
import { createTempProject, freePort, type TempProject } from '../fixtures/temp-project.js';
import { isAlive, runLoom, startLoom, until } from './run-loom.js';

const cleanup: Array<() => unknown> = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

async function upProject(): Promise<{ project: TempProject; port: number; home: string }> {
  const port = await freePort();
  const project = createTempProject({ 'package.json': '{}', 'loom.config.ts': `export default { nats: { port: ${port} } };\n` });
  const home = mkdtempSync(join(tmpdir(), 'loom-home-'));
  cleanup.push(() => project.remove(), () => rmSync(home, { recursive: true, force: true }));
  return { project, port, home };
}

interface NatsSummary {
  url: string;
  source: string;
  pid?: number;
  storeDir?: string;
  version?: string;
}

describe('loom up', () => {
  it('starts a managed nats-server with JetStream on the configured port and stops it on SIGTERM', async () => {
    const { project, port, home } = await upProject();
    const up = startLoom(['up', '--json'], { cwd: project.dir, env: { LOOMINAL_HOME: home, API_PORT: '0' } });
    cleanup.push(() => up.kill('SIGKILL'));
    await until(() => up.output.stdout.includes('\n'), () => `the ready line; stderr: ${up.output.stderr}`);
    const ready = JSON.parse(up.output.stdout.split('\n')[0]!) as { running: { nats: NatsSummary }; mcp: { mcpServers: Record<string, { args: string[] }> } };
    const nats = ready.running.nats;
    expect(nats).toMatchObject({ url: `nats://127.0.0.1:${port}`, source: 'managed', storeDir: join(home, 'nats') });
    expect(nats.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Object.keys(ready.mcp.mcpServers)).toEqual(['loom-warp', 'loom-pattern', 'loom-shuttle']);
    const pid = nats.pid!;
    expect(isAlive(pid)).toBe(true);
    expect(readFileSync(join(home, 'nats.url'), 'utf8').trim()).toBe(nats.url);

    const nc = await connect({ servers: nats.url });
    const info = await (await jetstreamManager(nc)).getAccountInfo();
    expect(info.streams).toBeGreaterThanOrEqual(0);
    await nc.close();

    up.kill('SIGTERM');
    const result = await up.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"stopped":true');
    await until(() => !isAlive(pid), () => `managed nats-server ${pid} to exit`, 10_000);
    expect(existsSync(join(home, 'nats.url'))).toBe(false);
  });

  it('prints what it runs and the MCP client config, and stops cleanly on Ctrl-C', async () => {
    const { project, port, home } = await upProject();
    const up = startLoom(['up'], { cwd: project.dir, env: { LOOMINAL_HOME: home, API_PORT: '0' } });
    cleanup.push(() => up.kill('SIGKILL'));
    await until(() => up.output.stdout.includes('Press Ctrl-C to stop.'), () => `the ready text; stdout: ${up.output.stdout}; stderr: ${up.output.stderr}`);
    const text = up.output.stdout;
    expect(text).toContain(`NATS   nats://127.0.0.1:${port}  managed nats-server (pid `);
    expect(text).toContain('"loom-warp"');
    expect(text).toMatch(/claude mcp add --transport stdio loom-pattern .* -- \S+ --max-semi-space-size=1 \S+main\.js pattern/);
    const pid = Number(/pid (\d+)/.exec(text)![1]);
    expect(isAlive(pid)).toBe(true);
    up.kill('SIGINT');
    const result = await up.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('loom up: stopped');
    await until(() => !isAlive(pid), () => `managed nats-server ${pid} to exit`, 10_000);
  });

  it('reuses a server that already answers on the configured port and leaves it running', async () => {
    const server = await startNatsServer();
    cleanup.push(() => server.stop());
    const project = createTempProject({ 'package.json': '{}', 'loom.config.ts': `export default { nats: { port: ${server.port} } };\n` });
    const home = mkdtempSync(join(tmpdir(), 'loom-home-'));
    cleanup.push(() => project.remove(), () => rmSync(home, { recursive: true, force: true }));
    const up = startLoom(['up', '--json'], { cwd: project.dir, env: { LOOMINAL_HOME: home, API_PORT: '0' } });
    cleanup.push(() => up.kill('SIGKILL'));
    await until(() => up.output.stdout.includes('\n'), () => `the ready line; stderr: ${up.output.stderr}`);
    expect(JSON.parse(up.output.stdout.split('\n')[0]!).running.nats).toMatchObject({ url: server.url, source: 'local' });
    up.kill('SIGTERM');
    expect((await up.done).code).toBe(0);
    expect(isAlive(server.pid)).toBe(true);
  });

  it('without a nats-server binary fails with the exact install command', async () => {
    const { project, home } = await upProject();
    const result = await runLoom(['up'], { cwd: project.dir, env: { LOOMINAL_HOME: home, API_PORT: '0', LOOMINAL_NATS_SERVER: join(home, 'no-such-nats-server') } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('LOOM_ERR_NATS_SERVER_MISSING');
    expect(result.stderr).toContain(`Install it with: ${installHint()}`);
    expect(installHint('linux')).toContain('sudo apt-get install -y nats-server');
    expect(installHint('darwin')).toBe('brew install nats-server');
  });
});
