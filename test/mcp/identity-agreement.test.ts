// Three servers, one agent: `loom pattern`, `loom shuttle` and `loom warp` started in the same git project with no
// LOOMINAL_PROJECT_ID / LOOMINAL_AGENT_ID each derive the same projectId (from the git remote) and agentId (host +
// path), so a memory, an orchestration and a registry entry all name the same agent in the same project.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { spawnMcpServer, type McpSession } from '../../core/testing/mcp-client.js';
import { createTempProject, type TempProject } from '../fixtures/temp-project.js';
import { openKv } from '../../core/testing/kv.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let nats: NatsServerHandle;
let nc: NatsConnection;
let project: TempProject;
let home: string;
const sessions: McpSession[] = [];

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  project = createTempProject({ 'package.json': '{"name":"identity-agreement","private":true}' });
  execFileSync('git', ['init', '-q', project.dir]);
  execFileSync('git', ['-C', project.dir, 'remote', 'add', 'origin', 'git@github.com:Example-Org/Identity-Agreement.git']);
  home = mkdtempSync(join(tmpdir(), 'loom-identity-home-'));
});

afterAll(async () => {
  await Promise.all(sessions.map((session) => session.close().catch(() => undefined)));
  await nc?.close();
  await nats?.stop();
  project?.remove();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** A server as a user's MCP client starts it: in the project, with only NATS_URL (and a private HOME) set. */
async function start(preset: 'warp' | 'pattern' | 'shuttle'): Promise<McpSession> {
  const session = await spawnMcpServer({
    args: [preset],
    cwd: project.dir,
    env: { NATS_URL: nats.url, HOME: home, LOOMINAL_HOME: home, SHUTTLE_WORK_DIR: join(home, 'shuttle-work'), PATTERN_SWEEP_INTERVAL_MS: '0' },
  });
  sessions.push(session);
  return session;
}

describe('identity agreement across warp, pattern and shuttle', () => {
  it('derives one projectId and one agentId in every server, whichever starts first', async () => {
    // Computed here from the documented rule, not from the code under test.
    const projectId = sha256('github.com/example-org/identity-agreement').slice(0, 16);
    const agentId = sha256(hostname() + project.dir).slice(0, 32);

    // Pattern first, with no warp running: it needs nothing from warp to know who it is.
    const pattern = await start('pattern');
    const memory = (await pattern.call<{ memory: { agentId: string; projectId: string; principal: string; id: string } }>('remember', { content: 'identity agreement: pattern speaks first', scope: 'team', category: 'decisions' })).memory;
    expect(memory).toMatchObject({ projectId, agentId });

    const shuttle = await start('shuttle');
    const plan = await shuttle.call<{ orchestrationId: string }>('assess_task', { task: 'check identities', subtasks: [{ id: 'only', instructions: 'nothing to do' }] });
    const stored = await (await openKv(nc, `shuttle-${projectId}-orchestrations`)).get(plan.orchestrationId);
    expect(stored?.json<{ projectId: string; createdBy: string }>()).toMatchObject({ projectId, createdBy: agentId });
    const listed = await shuttle.call<{ orchestrations: Array<{ orchestrationId: string; createdBy: string }> }>('list_orchestrations', {});
    expect(listed.orchestrations).toContainEqual(expect.objectContaining({ orchestrationId: plan.orchestrationId, createdBy: agentId }));

    const warp = await start('warp');
    expect(await warp.call('get_my_handle')).toMatchObject({ agentId, projectId });
    await warp.call('register_agent', { agentType: 'dev', capabilities: ['review'] });
    const { agent } = await warp.call<{ agent: { id: string; projectId: string; principal: string; hostname: string } }>('get_agent_info', { agentId });
    expect(agent).toMatchObject({ id: agentId, projectId, principal: memory.principal, hostname: hostname() });

    // The memory sits in the derived project's team bucket, not in one of a project id of pattern's own.
    const teamKeys: string[] = [];
    for await (const key of await (await openKv(nc, `pattern-${projectId}-team`)).keys()) teamKeys.push(key);
    expect(teamKeys).toContain(`decisions.${memory.id}`);
  });
});
