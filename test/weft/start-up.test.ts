// `loom start` runs weft when the config picks it, and `loom up` starts weft after NATS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { createTempProject, freePort, type TempProject } from '../fixtures/temp-project.js';
import { startLoom, until } from '../cli/run-loom.js';
import { http } from './harness.js';

let nats: NatsServerHandle;
const projects: TempProject[] = [];
const home = mkdtempSync(join(tmpdir(), 'loom-home-'));
const kills: Array<() => void> = [];

beforeAll(async () => {
  nats = await startNatsServer();
});
afterAll(async () => {
  for (const kill of kills) kill();
  await nats?.stop();
  projects.forEach((project) => project.remove());
  rmSync(home, { recursive: true, force: true });
});

describe('weft in loom start and loom up', () => {
  it('loom start runs weft when loom.config.ts picks the weft preset', async () => {
    const project = createTempProject({ 'package.json': '{}', 'loom.config.ts': `export default { preset: 'weft', project: 'start-weft', nats: { url: '${nats.url}' } };\n` });
    projects.push(project);
    const start = startLoom(['start'], { cwd: project.dir, env: { LOOMINAL_HOME: home, API_PORT: '0' } });
    kills.push(() => start.kill('SIGKILL'));
    await until(() => /REST API on (http:\/\/\S+)/.test(start.output.stdout), () => `weft's URL; stderr: ${start.output.stderr}`);
    const url = /REST API on (http:\/\/\S+)/.exec(start.output.stdout)![1]!;
    expect((await http(url, 'GET', '/health')).body).toMatchObject({ status: 'ok' });
    expect((await http(url, 'GET', '/api/stats')).body.projectId).toBe('start-weft');
    start.kill('SIGTERM');
    expect((await start.done).code).toBe(0);
  });

  it('loom up starts weft on the fabric’s NATS and stops it with everything else', async () => {
    const port = await freePort();
    const project = createTempProject({ 'package.json': '{}', 'loom.config.ts': `export default { project: 'up-weft', nats: { port: ${port} } };\n` });
    projects.push(project);
    const up = startLoom(['up', '--json'], { cwd: project.dir, env: { LOOMINAL_HOME: home, API_PORT: '0' } });
    kills.push(() => up.kill('SIGKILL'));
    await until(() => up.output.stdout.includes('\n'), () => `the ready line; stderr: ${up.output.stderr}`);
    const ready = JSON.parse(up.output.stdout.split('\n')[0]!) as { running: { nats: { url: string }; weft: { url: string; projectId: string } } };
    expect(ready.running.weft.projectId).toBe('up-weft');
    const health = await http(ready.running.weft.url, 'GET', '/health');
    expect(health.body).toMatchObject({ status: 'ok', natsConnected: true });
    const submitted = await http(ready.running.weft.url, 'POST', '/api/work', { body: { description: 'hello fabric', capability: 'demo' } });
    expect(submitted.status).toBe(201);
    up.kill('SIGTERM');
    expect((await up.done).code).toBe(0);
    await expect(fetch(`${ready.running.weft.url}/health`)).rejects.toThrow();
  });
});
