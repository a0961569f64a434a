// `loom targets …` against a real `loom weft` (and nats-server): CRUD from flags and files, health tests, a manual
// spin-up through the local mechanism whose agent registers with the target that started it, and the exit codes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startFabric, waitFor, WORKER, type Fabric, type WeftProcess } from '../weft/harness.js';
import { runLoom } from './run-loom.js';
import { openKv } from '../../core/testing/kv.js';

const PROJECT = 'cli-targets';
const TOKEN = 'targets-token-0001';
let fabric: Fabric;
let weft: WeftProcess;

beforeAll(async () => {
  fabric = await startFabric(PROJECT);
  // A short idle timeout: the agent the spin-up test starts is scaled down again within seconds (long enough for a slow CLI run).
  weft = await fabric.startWeft({ API_TOKENS: TOKEN, IDLE_TIMEOUT_MS: '12000', LOOMINAL_SPIN_UP_SHUTDOWN_GRACE_MS: '2000' });
});
afterAll(async () => {
  // Agents a target started run detached from weft: end any the test left behind, by the pid weft recorded.
  if (fabric) {
    const nc = await connect({ servers: fabric.nats.url });
    const spawned = await openKv(nc, `weft-${PROJECT}-spawned`);
    for await (const key of await spawned.keys()) {
      const pid = Number((await spawned.get(key))?.json<{ handle: { pid?: number } }>().handle.pid);
      if (Number.isInteger(pid) && pid > 1) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    await nc.close();
  }
  await fabric?.stop();
});

const loom = (args: string[], env: Record<string, string> = {}) => runLoom(args, { cwd: fabric.project.dir, env: { LOOMINAL_API_URL: weft.url, LOOMINAL_API_TOKEN: TOKEN, ...env } });
const json = async (args: string[]) => {
  const run = await loom([...args, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
};
const agentCommand = ['loom', 'agent', '--capability', 'cli-spin', '--grace-ms', '0', '--', process.execPath, WORKER];

// Each `loom` run starts a node process; on a loaded 2-core machine a test of many runs needs room.
describe('loom targets', { timeout: 120_000 }, () => {
  it('adds a target from flags and one from a JSON file, lists and shows them, and updates only the fields given', async () => {
    const laptop = await json(['targets', 'add', 'laptop', '--mechanism', 'local', '--agent-type', 'worker', '--capability', 'cli-spin', '--capability', 'cli-other', '--cooldown-ms', '0', '--config', JSON.stringify({ command: agentCommand, logDir: join(fabric.project.dir, 'logs') })]);
    expect(laptop).toMatchObject({ id: 'laptop', projectId: PROJECT, mechanism: 'local', agentType: 'worker', capabilities: ['cli-spin', 'cli-other'], enabled: true, maxConcurrent: 1, cooldownMs: 0 });
    expect(laptop.config).toMatchObject({ command: agentCommand, env: {}, stopGraceMs: 10_000 });

    const file = join(fabric.project.dir, 'hook.json');
    writeFileSync(file, JSON.stringify({ id: 'hook', mechanism: 'webhook', agentType: 'copilot-cli', capabilities: ['review'], boundaries: ['corporate'], config: { url: 'http://127.0.0.1:9/start/{{workId}}' } }));
    const added = await loom(['targets', 'add', '--file', file]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toBe('target hook created: webhook, agent type copilot-cli, capabilities review\n');

    const list = await json(['targets', 'list']);
    expect(list.items.map((t: { id: string }) => t.id)).toEqual(['hook', 'laptop']);
    const table = await loom(['targets', 'list']);
    expect(table.stdout).toMatch(/^ID\s+MECHANISM\s+AGENT TYPE\s+CAPABILITIES/);
    expect(table.stdout).toMatch(/\nlaptop\s+local\s+worker\s+cli-spin,cli-other\s+any\s+1\s+0ms\s+yes\n/);
    expect((await json(['targets', 'show', 'hook'])).config).toMatchObject({ url: 'http://127.0.0.1:9/start/{{workId}}', method: 'POST' });
    const shown = await loom(['targets', 'show', 'laptop']);
    expect(shown.stdout).toMatch(/mechanism\s+local/);
    expect(shown.stdout).toContain('"stopGraceMs": 10000');

    const updated = await json(['targets', 'update', 'hook', '--disable', '--max-concurrent', '3', '--boundary', 'personal']);
    expect(updated).toMatchObject({ id: 'hook', enabled: false, maxConcurrent: 3, boundaries: ['personal'], capabilities: ['review'], agentType: 'copilot-cli' });
    expect(updated.config.url).toBe('http://127.0.0.1:9/start/{{workId}}');
    writeFileSync(file, JSON.stringify({ config: { url: 'http://127.0.0.1:9/v2/{{agentId}}', method: 'PUT' } }));
    const fromFile = await json(['targets', 'update', 'hook', '--file', file, '--enable']);
    expect(fromFile).toMatchObject({ enabled: true, maxConcurrent: 3, config: { url: 'http://127.0.0.1:9/v2/{{agentId}}', method: 'PUT' } });
    expect(fromFile.createdAt).toBe(updated.createdAt);
  });

  it('says why weft refuses a target, with exit 2 for bad input and 1 for a conflict or an unknown id', async () => {
    const unknown = await loom(['targets', 'add', 'gpu', '--mechanism', 'quantum', '--agent-type', 'worker', '--capability', 'x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('LOOM_ERR_INVALID_INPUT: mechanism: "quantum" is not a loaded spin-up mechanism; known: github-actions, kubernetes, local, ssh, webhook');
    const badConfig = await loom(['targets', 'add', 'gpu', '--mechanism', 'local', '--agent-type', 'worker', '--capability', 'x', '--config', '{"command": []}']);
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toMatch(/LOOM_ERR_INVALID_INPUT: config\.command: must name a command.*\(mechanism local\)/);
    const notJson = await loom(['targets', 'add', 'gpu', '--mechanism', 'local', '--config', '{command']);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('LOOM_ERR_INVALID_INPUT: --config: the value is not valid JSON');
    const noId = await loom(['targets', 'add', '--mechanism', 'local']);
    expect(noId.code).toBe(2);
    expect(noId.stderr).toContain('id: give the target id');
    const nothing = await loom(['targets', 'update', 'hook']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('nothing to change');
    const twice = await loom(['targets', 'add', 'laptop', '--mechanism', 'local', '--agent-type', 'worker', '--capability', 'x', '--config', '{"command": ["true"]}']);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('LOOM_ERR_CONFLICT: target "laptop" already exists');
    const missing = await loom(['targets', 'show', 'nowhere']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('LOOM_ERR_NOT_FOUND: no target "nowhere"');
    expect((await json(['targets', 'list'])).items).toHaveLength(2);
  });

  it('tests a target through its mechanism: exit 0 when it can start agents, 1 when it cannot', async () => {
    const good = await loom(['targets', 'test', 'laptop']);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toBe('laptop: ok — loom (this CLI) is executable\n');
    await json(['targets', 'add', 'broken', '--mechanism', 'local', '--agent-type', 'worker', '--capability', 'x', '--config', '{"command": ["no-such-worker-binary"]}']);
    const bad = await loom(['targets', 'test', 'broken', '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toEqual({ targetId: 'broken', ok: false, detail: 'command[0]: no-such-worker-binary is not an executable file or on PATH' });
  });

  it('spins up an agent on a local target that registers as started by it and works an item; a second one meets the capacity', async () => {
    const started = await loom(['targets', 'spin-up', 'laptop', '--reason', 'cli test', '--json']);
    expect(started.code, started.stderr).toBe(0);
    const attempt = JSON.parse(started.stdout);
    expect(attempt).toMatchObject({ outcome: 'started', targetId: 'laptop', mechanism: 'local', reason: 'cli test' });
    const agent = await waitFor(async () => {
      const answer = await http(weft.url, 'GET', `/api/agents/${attempt.agentId}`, { token: TOKEN });
      return answer.status === 200 && answer.body.status === 'online' && answer.body;
    }, 'the started agent to be online');
    expect(agent).toMatchObject({ startedBy: 'laptop', capabilities: ['cli-spin'] });

    const item = (await http(weft.url, 'POST', '/api/work', { token: TOKEN, body: { description: 'hello from the cli', capability: 'cli-spin' } })).body;
    const done = await waitFor(async () => {
      const shown = (await http(weft.url, 'GET', `/api/work/${item.workId}`, { token: TOKEN })).body;
      return shown.state === 'completed' && shown;
    }, 'the item to complete');
    expect(done.agentId).toBe(attempt.agentId);
    // maxConcurrent 1 and its agent still there: a second start is refused, and the command says so with exit 1.
    const full = await loom(['targets', 'spin-up', 'laptop']);
    expect(full.code).toBe(1);
    expect(full.stdout).toMatch(/^laptop: at-capacity \(operation /);
    // Idle past IDLE_TIMEOUT_MS: weft scales the agent it started down again.
    await waitFor(async () => (await http(weft.url, 'GET', `/api/agents/${attempt.agentId}`, { token: TOKEN })).status === 404, 'the idle agent to be scaled down', 45_000);
  });

  it('removes a target, which is then gone', async () => {
    const removed = await loom(['targets', 'remove', 'hook']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toBe('target hook removed\n');
    expect((await json(['targets', 'list'])).items.map((t: { id: string }) => t.id)).toEqual(['broken', 'laptop']);
    expect((await loom(['targets', 'remove', 'hook'])).code).toBe(1);
  });
});
