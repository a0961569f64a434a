// Routing with real agents: a custom classifier from loom.config.ts, the boundary table, path globs, capability
// matching against online (not stale) agents, and the spin-up seam when no agent fits.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../fixtures/temp-project.js';
import { http, startFabric, waitFor, type Fabric, type LoomProcess, type WeftProcess } from './harness.js';

// What a user writes: a classifier in a few lines, a stand-in spin-up manager, and the routing options.
const CONFIG = `import { appendFileSync } from 'node:fs';
import { defineClassifier, definePlugin, spinUpService } from 'loominal';
import { scriptSpinUp } from ${JSON.stringify(`${REPO_ROOT}/test/fixtures/example-spin-up.ts`)};

const secrets = defineClassifier({
  name: 'classifier:secrets',
  create: () => (work) =>
    /credential|secret/i.test(work.description) ? { allowedAgentTypes: ['copilot'], reason: 'mentions secrets: copilot only' } : undefined,
});

const recordingManager = definePlugin({
  name: 'spin-up:recording-manager',
  provides: [spinUpService],
  setup(ctx) {
    const record = (entry) => appendFileSync('spin-ups.jsonl', JSON.stringify(entry) + '\\n');
    const attempt = (outcome, extra) => ({ operationId: 'op-' + Date.now(), outcome, at: new Date().toISOString(), ...extra });
    ctx.provide(spinUpService, {
      async request(need) {
        record({ kind: 'request', need });
        const target = need.candidates[0];
        return target ? attempt('started', { projectId: need.projectId, targetId: target.id, mechanism: target.mechanism, workId: need.workId }) : attempt('no-target', { projectId: need.projectId });
      },
      async spinUp(target, options) {
        record({ kind: 'manual', targetId: target.id, reason: options.reason });
        return attempt('started', { projectId: target.projectId, targetId: target.id, mechanism: target.mechanism });
      },
      async test(target) {
        return { ok: target.config.command === 'true', detail: 'checked ' + target.config.command };
      },
    });
  },
});

export default {
  plugins: [secrets, scriptSpinUp, recordingManager],
  // The preset's own manager gives way to the stand-in, which records exactly what weft asked for.
  exclude: ['service:spin-up'],
  options: {
    'weft:coordinator': { classifiers: ['secrets', 'boundary', 'capability'] },
    'classifier:boundary': { boundaries: { corporate: { patterns: ['**/internal/**'] } } },
  },
};
`;

let fabric: Fabric;
let weft: WeftProcess;
let copilot: LoomProcess & { agentId: string };
let claude: LoomProcess & { agentId: string };

beforeAll(async () => {
  fabric = await startFabric('weft-routing', { 'loom.config.ts': CONFIG });
  weft = await fabric.startWeft();
  copilot = await fabric.startAgent({ capability: 'code', agentType: 'copilot' });
  claude = await fabric.startAgent({ capability: 'code', agentType: 'claude-code' });
  for (const agent of [copilot, claude]) await waitFor(async () => (await http(weft.url, 'GET', `/api/agents/${agent.agentId}`)).body?.status === 'online', 'agents to be online');
});
afterAll(async () => {
  await fabric?.stop();
});

const submit = async (body: Record<string, unknown>) => {
  const answer = await http(weft.url, 'POST', '/api/work', { body: { capability: 'code', ...body } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body;
};
const eligible = (record: { decision: { eligibleAgents: Array<{ id: string }> } }) => record.decision.eligibleAgents.map((a) => a.id);

describe('weft routing', () => {
  it('asks a custom classifier from loom.config.ts first, and records that it decided and why', async () => {
    const record = await submit({ description: 'rotate the credentials of the build bot' });
    expect(record.decision).toMatchObject({ classifier: 'secrets', reason: 'mentions secrets: copilot only', allowedAgentTypes: ['copilot'] });
    expect(eligible(record)).toEqual([copilot.agentId]);
    const plain = await submit({ description: 'rename a variable', boundary: 'corporate' });
    expect(plain.decision.classifier).toBe('boundary');
  });

  it('applies the boundary table to the agents online: corporate → copilot only, personal → claude-code first, open-source → any', async () => {
    const corporate = await submit({ description: 'fix the payroll report', boundary: 'corporate' });
    expect(corporate.decision).toMatchObject({ classifier: 'boundary', boundary: 'corporate', allowedAgentTypes: ['copilot', 'copilot-cli'] });
    expect(eligible(corporate)).toEqual([copilot.agentId]);
    const adjacent = await submit({ description: 'update the team wiki', boundary: 'corporate-adjacent' });
    expect(eligible(adjacent)).toEqual([copilot.agentId, claude.agentId]);
    const personal = await submit({ description: 'tidy my dotfiles', boundary: 'personal' });
    expect(personal.decision.preferredAgentTypes).toEqual(['claude-code']);
    expect(eligible(personal)).toEqual([claude.agentId, copilot.agentId]);
    const open = await submit({ description: 'review a pull request', boundary: 'open-source' });
    expect(open.decision.allowedAgentTypes).toEqual([]);
    expect(eligible(open).sort()).toEqual([copilot.agentId, claude.agentId].sort());
    const conflict = await http(weft.url, 'POST', '/api/work', { body: { capability: 'code', description: 'x', boundary: 'corporate', requiredAgentType: 'claude-code' } });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.message).toMatch(/requiredAgentType claude-code is not allowed/);
  });

  it('derives the corporate boundary from path globs in config, even against a milder marked boundary', async () => {
    const record = await submit({ description: 'refactor billing', boundary: 'personal', paths: ['README.md', 'src/internal/billing.ts'] });
    expect(record).toMatchObject({ boundary: 'corporate' });
    expect(record.decision.reason).toContain('src/internal/billing.ts matches corporate pattern **/internal/**');
    expect(eligible(record)).toEqual([copilot.agentId]);
  });

  it('matches capabilities against online agents only: a stale agent is not eligible', async () => {
    await claude.kill('SIGKILL');
    await waitFor(async () => (await http(weft.url, 'GET', `/api/agents/${claude.agentId}`)).body?.status === 'offline', 'the killed agent to go offline');
    const record = await submit({ description: 'plain work, no boundary' });
    expect(record.decision.classifier).toBe('capability');
    expect(record.decision.reason).toMatch(/^1 online agent\(s\) have capability code \(copilot ×1\)/);
    expect(eligible(record)).toEqual([copilot.agentId]);
  });

  it('calls the spin-up service with matching targets when no eligible agent is online, and leaves the item queued', async () => {
    const targets = [
      { id: 'ci-copilot', mechanism: 'script', agentType: 'copilot', capabilities: ['design'], config: { command: 'true' } },
      { id: 'ci-claude', mechanism: 'script', agentType: 'claude-code', capabilities: ['design'], config: { command: 'true' } },
      { id: 'ci-other', mechanism: 'script', agentType: 'copilot', capabilities: ['other'], config: { command: 'true' } },
    ];
    for (const target of targets) expect((await http(weft.url, 'POST', '/api/targets', { body: target })).status).toBe(201);
    const badConfig = await http(weft.url, 'POST', '/api/targets', { body: { ...targets[0], id: 'broken', config: { command: '' } } });
    expect(badConfig.status).toBe(400);
    expect(badConfig.body.error.message).toMatch(/config\.command/);

    const record = await submit({ description: 'draw the logo', capability: 'design', boundary: 'corporate' });
    expect(eligible(record)).toEqual([]);
    const withSpinUp = await waitFor(async () => {
      const current = (await http(weft.url, 'GET', `/api/work/${record.workId}`)).body;
      return current.spinUp && current;
    }, 'weft to record the spin-up');
    expect(withSpinUp.spinUp).toMatchObject({ outcome: 'started', targetId: 'ci-copilot' });
    expect(withSpinUp.state).toBe('pending');
    const log = readFileSync(join(fabric.project.dir, 'spin-ups.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    const request = log.find((entry) => entry.kind === 'request' && entry.need.workId === record.workId);
    expect(request.need.candidates.map((t: { id: string }) => t.id)).toEqual(['ci-copilot']);
    expect(request.need).toMatchObject({ capability: 'design', boundary: 'corporate', agentTypes: ['copilot', 'copilot-cli'] });
    expect((await http(weft.url, 'GET', '/api/stats')).body.queueDepth.design).toBe(1);

    const manual = await http(weft.url, 'POST', '/api/targets/ci-claude/spin-up', { body: { reason: 'warm up' } });
    expect(manual.status).toBe(202);
    expect(manual.body).toMatchObject({ outcome: 'started', targetId: 'ci-claude' });
    const test = await http(weft.url, 'POST', '/api/targets/ci-claude/test', { body: {} });
    expect(test.body).toEqual({ targetId: 'ci-claude', ok: true, detail: 'checked true' });
    const changed = await http(weft.url, 'PUT', '/api/targets/ci-other', { body: { ...targets[2], id: undefined, enabled: false } });
    expect(changed.status).toBe(200);
    expect(changed.body.enabled).toBe(false);
    expect((await http(weft.url, 'DELETE', '/api/targets/ci-other')).status).toBe(200);
    expect((await http(weft.url, 'GET', '/api/targets/ci-other')).status).toBe(404);
    expect((await http(weft.url, 'POST', '/api/targets', { body: targets[0] })).status).toBe(409);
  });
});
