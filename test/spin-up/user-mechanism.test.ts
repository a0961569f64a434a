// A sixth mechanism, written as a user would (a few lines of defineSpinUp from 'loominal' in their loom.config.ts), runs
// through `loom weft` like the built-in ones: a target for it, a work item nobody can do, an agent it starts, scale-down.
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loomCommand } from '../../core/testing/loom-process.js';
import { REPO_ROOT } from '../fixtures/temp-project.js';
import { http, startFabric, waitFor, type Fabric, type WeftProcess } from '../weft/harness.js';

const CONFIG = `// My own way to start agents: a shell script.
import { spawn } from 'node:child_process';
import { z } from 'zod';
import { defineConfig, defineSpinUp } from 'loominal';

const shellSpinUp = defineSpinUp({
  name: 'spin-up:shell',
  target: z.object({ script: z.string().min(1) }),
  async start({ target, env }) {
    const child = spawn('sh', ['-c', target.script], { env: { ...process.env, ...env }, detached: true, stdio: 'ignore' });
    child.unref();
    return { handle: { pid: child.pid } };
  },
  async stop({ handle }) {
    try { process.kill(Number(handle.pid), 'SIGTERM'); } catch { /* gone already */ }
  },
});

export default defineConfig({ plugins: [shellSpinUp] });
`;

let fabric: Fabric;
let weft: WeftProcess;

beforeAll(async () => {
  fabric = await startFabric('user-mechanism', { 'loom.config.ts': CONFIG });
  // zod is the user's own dependency, as after `npm install zod`.
  symlinkSync(join(REPO_ROOT, 'node_modules', 'zod'), join(fabric.project.dir, 'node_modules', 'zod'), 'dir');
  weft = await fabric.startWeft({ IDLE_TIMEOUT_MS: '2000', LOOMINAL_SPIN_UP_CHECK_MS: '200' });
});
afterAll(async () => {
  await fabric?.stop();
});

describe('a spin-up mechanism of your own', () => {
  it('validates its targets with its own schema', async () => {
    const answer = await http(weft.url, 'POST', '/api/targets', { body: { id: 'bad-shell', mechanism: 'shell', agentType: 'worker', capabilities: ['user-cap'], config: { script: '' } } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('LOOM_ERR_INVALID_INPUT');
    expect(answer.body.error.message).toMatch(/config\.script: /);
  });

  it('starts an agent through weft when no agent can take the work; the agent completes it and is scaled down when idle', async () => {
    const [node, main] = loomCommand();
    const script = `exec ${JSON.stringify(node)} ${JSON.stringify(main)} agent --capability user-cap --grace-ms 0 -- sh -c 'echo "my mechanism did $LOOM_WORK_ID"'`;
    const created = await http(weft.url, 'POST', '/api/targets', { body: { id: 'my-shell', mechanism: 'shell', agentType: 'worker', capabilities: ['user-cap'], maxConcurrent: 2, cooldownMs: 0, config: { script } } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);

    const submitted = await http(weft.url, 'POST', '/api/work', { body: { description: 'needs an agent that is not running yet', capability: 'user-cap' } });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const workId = submitted.body.workId as string;
    const done = await waitFor(async () => {
      const record = (await http(weft.url, 'GET', `/api/work/${workId}`)).body;
      return record.state === 'completed' && record;
    }, `work ${workId} to complete (weft stderr: ${weft.stderr()})`, 45_000);
    expect(done.result).toBe(`my mechanism did ${workId}\n`);
    expect(done.spinUp).toMatchObject({ outcome: 'started', targetId: 'my-shell' });
    const agentId = done.agentId as string;

    // Idle past IDLE_TIMEOUT_MS: weft asks it to shut down and it leaves the registry.
    await waitFor(async () => {
      const answer = await http(weft.url, 'GET', `/api/agents/${agentId}`);
      return answer.status === 404 || answer.body?.status === 'offline';
    }, 'the idle agent to be shut down', 30_000);
  });
});
