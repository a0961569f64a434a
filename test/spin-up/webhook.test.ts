// spin-up:webhook against a local HTTP server: templated URL, headers (a secret from weft's env) and body, success codes,
// timeout, the stop request on teardown, and the secret never in the logs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookSpinUp } from '../../plugins/spin-up/webhook/index.js';
import { startRecorder, type HttpRecorder } from './http-recorder.js';
import { needFor, startSpinUpFabric, until, type SpinUpFabric } from './harness.js';

const SECRET = 'whsec_0123456789abcdef_never_log_me';
let fabric: SpinUpFabric;
let hooks: HttpRecorder;

beforeAll(async () => {
  hooks = await startRecorder((request) => {
    if (request.path === '/slow') return { status: 202, delayMs: 2_000 };
    if (request.path === '/broken') return { status: 500, body: { error: 'the runner pool is down' } };
    if (request.headers.authorization !== `Bearer ${SECRET}`) return { status: 401 };
    if (request.method === 'DELETE') return { status: 204 };
    return { status: 202, body: { accepted: true } };
  });
  process.env.LOOM_TEST_HOOK_SECRET = SECRET;
  fabric = await startSpinUpFabric({ projectId: 'spin-hook', plugins: [webhookSpinUp], managerOptions: { registerTimeoutMs: 1_500 } });
});
afterAll(async () => {
  delete process.env.LOOM_TEST_HOOK_SECRET;
  await fabric?.stop();
  await hooks?.close();
});

describe('spin-up:webhook', () => {
  it('sends the templated request with the secret header, and the stop request when the agent is torn down; the secret is never logged', async () => {
    const target = await fabric.target({
      id: 'runner-pool',
      name: 'Runner pool',
      mechanism: 'webhook',
      capabilities: ['hook-cap'],
      config: {
        url: `${hooks.url}/pools/{{targetId}}/agents?work={{workId}}&name={{targetName}}`,
        headers: { Authorization: 'Bearer {{env.LOOM_TEST_HOOK_SECRET}}', 'X-Loom-Project': '{{projectId}}' },
        body: { capability: '{{capability}}', agent: '{{agentId}}', nats: '{{natsUrl}}', note: 'start one for {{workId}}', tags: ['{{projectId}}', 7, true] },
        successCodes: [202],
        stop: { url: `${hooks.url}/pools/{{targetId}}/agents/{{agentId}}`, method: 'DELETE', headers: { Authorization: 'Bearer {{env.LOOM_TEST_HOOK_SECRET}}' }, successCodes: [204] },
      },
    });
    const attempt = await fabric.service.request(needFor(fabric.projectId, 'hook-1', 'hook-cap', [target]));
    expect(attempt).toMatchObject({ outcome: 'started', mechanism: 'webhook' });
    const start = hooks.requests[0]!;
    expect(start).toMatchObject({ method: 'POST', path: '/pools/runner-pool/agents', query: { work: 'hook-1', name: 'Runner pool' } });
    expect(start.headers).toMatchObject({ authorization: `Bearer ${SECRET}`, 'x-loom-project': 'spin-hook', 'content-type': 'application/json' });
    expect(JSON.parse(start.text)).toEqual({ capability: 'hook-cap', agent: attempt.agentId, nats: fabric.nats.url, note: 'start one for hook-1', tags: ['spin-hook', 7, true] });

    // Nothing behind this webhook starts a real agent: it never registers and is torn down with the stop request.
    const stop = await until(() => hooks.requests.find((r) => r.method === 'DELETE'), () => 'the stop request', 15_000);
    expect(stop.path).toBe(`/pools/runner-pool/agents/${attempt.agentId}`);
    expect(stop.headers.authorization).toBe(`Bearer ${SECRET}`);
    await until(async () => (await fabric.service.listAttempts!(fabric.projectId, { targetId: 'runner-pool' }))[0]?.stopReason === 'never registered within 1500 ms; torn down by webhook', () => 'the teardown to be recorded');

    const logs = fabric.kernelLogs();
    expect(logs).toContain('webhook accepted the spin-up');
    expect(logs).toContain('webhook accepted the teardown');
    expect(logs).not.toContain(SECRET);
  });

  it('sends the spin-up fields as JSON when no body is configured', async () => {
    const target = await fabric.target({ id: 'plain', mechanism: 'webhook', capabilities: ['plain-cap'], config: { url: `${hooks.url}/plain`, headers: { Authorization: 'Bearer {{env.LOOM_TEST_HOOK_SECRET}}' } } });
    const attempt = await fabric.service.request(needFor(fabric.projectId, 'plain-1', 'plain-cap', [target]));
    const sent = JSON.parse(hooks.requests.find((r) => r.path === '/plain')!.text);
    expect(sent).toEqual({ operationId: attempt.operationId, projectId: 'spin-hook', targetId: 'plain', targetName: 'plain', workId: 'plain-1', capability: 'plain-cap', agentId: attempt.agentId, natsUrl: fabric.nats.url });
  });

  it('an answer outside the success codes is a failure with the status and what the service said', async () => {
    const attempt = await fabric.service.spinUp(await fabric.target({ id: 'broken', mechanism: 'webhook', config: { url: `${hooks.url}/broken` } }), { reason: 'test' });
    expect(attempt.error).toBe(`LOOM_ERR_SPIN_UP_FAILED: webhook target broken: POST ${hooks.url}/broken answered 500 (success codes: 200, 201, 202, 204): {"error":"the runner pool is down"}`);
  });

  it('a service slower than timeoutMs is a timeout', async () => {
    const attempt = await fabric.service.spinUp(await fabric.target({ id: 'slow', mechanism: 'webhook', config: { url: `${hooks.url}/slow`, timeoutMs: 300 } }), { reason: 'test' });
    expect(attempt).toMatchObject({ outcome: 'failed', error: `LOOM_ERR_TIMEOUT: webhook target slow: POST ${hooks.url}/slow got no answer within 300 ms` });
  });

  it('rejects unknown template variables and secrets outside headers, naming the field', async () => {
    const schema = fabric.kernel.registries.spinUps.get('webhook').targetSchema;
    const bad = schema.safeParse({ url: `${hooks.url}/{{workid}}`, body: { token: '{{env.LOOM_TEST_HOOK_SECRET}}' }, headers: { 'X-Id': '{{agentId}}' }, successCodes: [] });
    expect(bad.success).toBe(false);
    const issues = Object.fromEntries(bad.error!.issues.map((issue) => [issue.path.join('.'), issue.message]));
    expect(issues.url).toMatch(/^unknown template variable \{\{workid\}\}/);
    expect(issues['body.token']).toMatch(/^unknown template variable \{\{env\.LOOM_TEST_HOOK_SECRET\}\}/);
    expect(Object.keys(issues)).toContain('successCodes');
    expect(Object.keys(issues)).not.toContain('headers.X-Id');
    const result = await fabric.service.test(await fabric.target({ id: 'not-a-url', mechanism: 'webhook', config: { url: 'ftp://example.org/x' } }));
    expect(result).toEqual({ ok: false, detail: 'config.url: must be an http(s) URL; {{variables}} may appear after the host' });
  });
});
