// spin-up:github-actions against a local HTTP server standing in for the GitHub REST API: path, headers, body, errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubActionsSpinUp } from '../../plugins/spin-up/github-actions/index.js';
import { startRecorder, type HttpRecorder } from './http-recorder.js';
import { needFor, startSpinUpFabric, type SpinUpFabric } from './harness.js';

const TOKEN = 'ghp_testTokenThatMustNeverBeLogged123';
let fabric: SpinUpFabric;
let github: HttpRecorder;

beforeAll(async () => {
  github = await startRecorder((request) => {
    if (request.headers.authorization !== `Bearer ${TOKEN}`) return { status: 401, body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' } };
    if (request.method === 'GET' && request.path === '/repos/acme/agents/actions/workflows/loom-agent.yml') return { status: 200, body: { id: 42, name: 'loom agent', path: '.github/workflows/loom-agent.yml', state: 'active' } };
    if (request.method === 'POST' && request.path === '/repos/acme/agents/actions/workflows/loom-agent.yml/dispatches') {
      const inputs = (JSON.parse(request.text) as { inputs: Record<string, string> }).inputs;
      if ('bogus' in inputs) return { status: 422, body: { message: 'Unexpected inputs provided: ["bogus"]' } };
      return { status: 204 };
    }
    return { status: 404, body: { message: 'Not Found' } };
  });
  process.env.LOOM_TEST_GH_TOKEN = TOKEN;
  fabric = await startSpinUpFabric({ projectId: 'spin-gha', plugins: [githubActionsSpinUp] });
});
afterAll(async () => {
  delete process.env.LOOM_TEST_GH_TOKEN;
  await fabric?.stop();
  await github?.close();
});

const config = (extra: Record<string, unknown> = {}) => ({ owner: 'acme', repo: 'agents', workflow: 'loom-agent.yml', tokenEnv: 'LOOM_TEST_GH_TOKEN', apiUrl: github.url, ...extra });

describe('spin-up:github-actions', () => {
  it('dispatches the workflow with the ref and templated inputs, the token as a bearer and the API version headers', async () => {
    const target = await fabric.target({
      id: 'ci-runner',
      mechanism: 'github-actions',
      capabilities: ['gha-test'],
      config: config({ ref: 'release/1.x', inputs: { capability: '{{capability}}', work_id: '{{workId}}', agent_id: '{{agentId}}', project: '{{projectId}}', nats_url: '{{natsUrl}}', label: 'loom {{targetName}} for {{workId}}' }, natsUrl: 'nats://nats.example.org:4222' }),
    });
    const attempt = await fabric.service.request(needFor(fabric.projectId, 'gha-1', 'gha-test', [target]));
    expect(attempt).toMatchObject({ outcome: 'started', mechanism: 'github-actions' });
    const dispatch = github.requests.find((r) => r.method === 'POST')!;
    expect(dispatch.path).toBe('/repos/acme/agents/actions/workflows/loom-agent.yml/dispatches');
    expect(dispatch.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'content-type': 'application/json' });
    expect(JSON.parse(dispatch.text)).toEqual({
      ref: 'release/1.x',
      inputs: { capability: 'gha-test', work_id: 'gha-1', agent_id: attempt.agentId, project: 'spin-gha', nats_url: 'nats://nats.example.org:4222', label: 'loom ci-runner for gha-1' },
    });
    expect(fabric.kernelLogs()).toContain('workflow dispatched');
    expect(fabric.kernelLogs()).not.toContain(TOKEN);
  });

  it('an answer other than 204 is a failure that says what GitHub said', async () => {
    const target = await fabric.target({ id: 'bad-inputs', mechanism: 'github-actions', config: config({ inputs: { bogus: '{{workId}}' } }) });
    const attempt = await fabric.service.spinUp(target, { reason: 'test', workId: 'gha-2' });
    expect(attempt.outcome).toBe('failed');
    expect(attempt.error).toBe('LOOM_ERR_SPIN_UP_FAILED: dispatching acme/agents workflow loom-agent.yml on main: GitHub answered 422: Unexpected inputs provided: ["bogus"] (the workflow has no workflow_dispatch trigger, the ref does not exist, or an input is not declared)');
  });

  it('a missing or wrong token is a clear error naming tokenEnv, and the token is never shown', async () => {
    const unset = await fabric.service.spinUp(await fabric.target({ id: 'no-token', mechanism: 'github-actions', config: config({ tokenEnv: 'LOOM_TEST_GH_NOT_SET' }) }), { reason: 'test' });
    expect(unset.error).toBe("LOOM_ERR_SPIN_UP_FAILED: tokenEnv: environment variable LOOM_TEST_GH_NOT_SET is not set in weft's environment");
    process.env.LOOM_TEST_GH_WRONG = 'ghp_wrong';
    const wrong = await fabric.service.test(await fabric.target({ id: 'wrong-token', mechanism: 'github-actions', config: config({ tokenEnv: 'LOOM_TEST_GH_WRONG' }) }));
    delete process.env.LOOM_TEST_GH_WRONG;
    expect(wrong).toEqual({ ok: false, detail: 'LOOM_ERR_SPIN_UP_FAILED: reading acme/agents workflow loom-agent.yml: GitHub answered 401: Bad credentials (the token in tokenEnv is not valid)' });
  });

  it('its health check reads the workflow', async () => {
    expect(await fabric.service.test(await fabric.target({ id: 'healthy', mechanism: 'github-actions', config: config() }))).toEqual({ ok: true, detail: 'workflow loom-agent.yml of acme/agents is active' });
  });

  it('rejects a target config with a bad field, naming the field', async () => {
    const mechanism = fabric.kernel.registries.spinUps.get('github-actions');
    const bad = mechanism.targetSchema.safeParse({ owner: 'acme', repo: 'agents', workflow: 'deploy', tokenEnv: 'GH TOKEN', inputs: { x: '{{secret}}' } });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['workflow', 'tokenEnv', 'inputs.x']));
    expect(bad.error!.issues.find((issue) => issue.path.join('.') === 'inputs.x')!.message).toMatch(/^unknown template variable \{\{secret\}\}; use \{\{operationId\}\}/);
  });
});
