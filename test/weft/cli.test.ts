// `loom work|agents|dlq|stats` talk to weft's REST API as a user's shell would, with --json for scripts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoom } from '../cli/run-loom.js';
import { http, startFabric, waitFor, type Fabric, type LoomProcess, type WeftProcess } from './harness.js';

const TOKEN = 'cli-token-000001';
let fabric: Fabric;
let weft: WeftProcess;
let agent: LoomProcess & { agentId: string };

beforeAll(async () => {
  fabric = await startFabric('weft-cli');
  weft = await fabric.startWeft({ API_TOKENS: TOKEN, LOOMINAL_MAX_DELIVER: '1' });
  agent = await fabric.startAgent({ capability: 'cli', agentType: 'copilot', env: { LOOMINAL_MAX_DELIVER: '1' } });
  await waitFor(async () => (await http(weft.url, 'GET', `/api/agents/${agent.agentId}`, { token: TOKEN })).body?.status === 'online', 'the agent to be online');
});
afterAll(async () => {
  await fabric?.stop();
});

const loom = (args: string[], env: Record<string, string> = {}) => runLoom(args, { cwd: fabric.project.dir, env: { LOOMINAL_API_URL: weft.url, LOOMINAL_API_TOKEN: TOKEN, ...env } });
const json = async (args: string[]) => {
  const run = await loom([...args, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
};

describe('loom work, agents, dlq and stats', () => {
  it('submits, shows, lists and cancels work', async () => {
    const submitted = await json(['work', 'submit', '--capability', 'cli', '--priority', '8', '--boundary', 'open-source', 'say', 'hello']);
    expect(submitted).toMatchObject({ description: 'say hello', capability: 'cli', priority: 8, boundary: 'open-source', state: 'pending' });
    const done = await waitFor(async () => {
      const shown = await json(['work', 'show', submitted.workId]);
      return shown.state === 'completed' && shown;
    }, 'the item to complete');
    expect(done.agentId).toBe(agent.agentId);
    const human = await loom(['work', 'show', submitted.workId]);
    expect(human.stdout).toContain('completed');
    expect(human.stdout).toContain('routed by boundary');

    const waiting = await json(['work', 'submit', '-c', 'nobody', 'wait', 'for', 'me']);
    const cancelled = await json(['work', 'cancel', waiting.workId, '--reason', 'no longer needed']);
    expect(cancelled.state).toBe('cancelled');
    const list = await json(['work', 'list', '--state', 'cancelled']);
    expect(list.items.map((w: { workId: string }) => w.workId)).toEqual([waiting.workId]);
    const table = await loom(['work', 'list']);
    expect(table.stdout).toMatch(/WORK ID\s+STATE/);
    expect(table.stdout).toContain(submitted.workId);
  });

  it('lists agents and shows the stats of the project and of every project', async () => {
    const agents = await json(['agents', '--capability', 'cli']);
    expect(agents.items.map((a: { id: string }) => a.id)).toEqual([agent.agentId]);
    expect((await json(['agents', agent.agentId])).agentType).toBe('copilot');
    const stats = await json(['stats']);
    expect(stats).toMatchObject({ projectId: 'weft-cli', agents: { online: 1 } });
    const projects = await json(['stats', '--projects']);
    expect(projects.projects.map((p: { projectId: string }) => p.projectId)).toContain('weft-cli');
  });

  it('lists, retries and discards dead letters', async () => {
    const failing = await json(['work', 'submit', '-c', 'cli', 'fail: always']);
    const letter = await waitFor(async () => (await json(['dlq', 'list', '--capability', 'cli'])).items.find((d: { workId: string }) => d.workId === failing.workId), 'the item in the dead-letter queue');
    const retried = await json(['dlq', 'retry', letter.deadLetterId, '--reset-attempts']);
    expect(retried.workId).toBe(failing.workId);
    const again = await waitFor(async () => (await json(['dlq', 'list'])).items.find((d: { workId: string; deadLetterId: string }) => d.workId === failing.workId && d.deadLetterId !== letter.deadLetterId), 'the retried item to fail again');
    expect((await json(['dlq', 'discard', again.deadLetterId])).discarded).toBe(again.deadLetterId);
    expect((await json(['dlq', 'list'])).items.find((d: { deadLetterId: string }) => d.deadLetterId === again.deadLetterId)).toBeUndefined();
  });

  it('exits 2 on input weft rejects, 1 on a bad token or an unreachable weft, with the error code on stderr', async () => {
    const bad = await loom(['work', 'submit', '-c', 'no.dots', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/LOOM_ERR_INVALID_INPUT: body\.capability/);
    const denied = await loom(['stats'], { LOOMINAL_API_TOKEN: 'wrong-token-0001' });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('LOOM_ERR_UNAUTHORIZED');
    expect(denied.stderr).not.toContain('wrong-token-0001');
    const away = await loom(['stats', '--api', 'http://127.0.0.1:9'], {});
    expect(away.code).toBe(1);
    expect(away.stderr).toMatch(/LOOM_ERR_UNAVAILABLE: cannot reach weft at http:\/\/127\.0\.0\.1:9/);
  });
});
