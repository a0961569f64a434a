// The REST API as a client meets it: tokens bound to projects, multi-tenancy, validation, limits, OpenAPI and SSE.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startFabric, waitFor, type Fabric, type WeftProcess } from './harness.js';
import { weftOperations } from '../../plugins/weft/index.js';

const ADMIN = 'admin-token-0001';
const ALPHA = 'alpha-token-0001';
const BETA = 'beta-token-0001';
let fabric: Fabric;
let weft: WeftProcess;

beforeAll(async () => {
  fabric = await startFabric('weft-api');
  // debug logs: the test below checks that not even they contain a token.
  weft = await fabric.startWeft({ API_TOKENS: `${ADMIN};${ALPHA}:proj-alpha;${BETA}:proj-beta`, WEFT_BODY_LIMIT_BYTES: '8192', LOG_LEVEL: 'debug' });
});
afterAll(async () => {
  await fabric?.stop();
});

const call = (method: string, path: string, token: string | undefined, body?: unknown) => http(weft.url, method, path, { ...(token ? { token } : {}), ...(body !== undefined ? { body } : {}) });
const totalWork = async () => Object.values((await call('GET', '/api/stats', ADMIN)).body.work as Record<string, number>).reduce((a, b) => a + b, 0);

describe('weft REST API: tokens and projects', () => {
  it('serves several projects from one weft, and a project-bound token sees only its own agents and work', async () => {
    const alphaAgent = await fabric.startAgent({ capability: 'lint', projectId: 'proj-alpha' });
    const betaAgent = await fabric.startAgent({ capability: 'lint', projectId: 'proj-beta' });
    const alphaWork = await call('POST', '/api/work', ALPHA, { description: 'lint alpha', capability: 'lint' });
    const betaWork = await call('POST', '/api/work', BETA, { description: 'lint beta', capability: 'lint' });
    expect(alphaWork.body.projectId).toBe('proj-alpha');
    expect(betaWork.body.projectId).toBe('proj-beta');
    await waitFor(async () => (await call('GET', `/api/work/${alphaWork.body.workId}`, ALPHA)).body.state === 'completed', 'alpha work to complete');
    await waitFor(async () => (await call('GET', `/api/work/${betaWork.body.workId}`, BETA)).body.state === 'completed', 'beta work to complete');
    expect((await call('GET', `/api/work/${alphaWork.body.workId}`, ALPHA)).body.agentId).toBe(alphaAgent.agentId);
    expect((await call('GET', `/api/work/${betaWork.body.workId}`, BETA)).body.agentId).toBe(betaAgent.agentId);

    const all = (await call('GET', '/api/stats/projects', ADMIN)).body.projects.map((p: { projectId: string }) => p.projectId);
    expect(all).toEqual(expect.arrayContaining(['proj-alpha', 'proj-beta']));
    expect((await call('GET', '/api/stats/projects', ALPHA)).body.projects.map((p: { projectId: string }) => p.projectId)).toEqual(['proj-alpha']);

    const alphaAgents = (await call('GET', '/api/agents', ALPHA)).body.items.map((a: { id: string }) => a.id);
    expect(alphaAgents).toContain(alphaAgent.agentId);
    expect(alphaAgents).not.toContain(betaAgent.agentId);
    const alphaList = (await call('GET', '/api/work', ALPHA)).body.items.map((w: { workId: string }) => w.workId);
    expect(alphaList).toContain(alphaWork.body.workId);
    expect(alphaList).not.toContain(betaWork.body.workId);

    for (const path of ['/api/work?projectId=proj-beta', `/api/agents/${betaAgent.agentId}?projectId=proj-beta`, '/api/stats?projectId=proj-beta', '/api/events?projectId=proj-beta']) {
      const denied = await call('GET', path, ALPHA);
      expect(denied.status, path).toBe(403);
      expect(denied.body.error.code).toBe('LOOM_ERR_FORBIDDEN');
    }
    const crossSubmit = await call('POST', '/api/work', ALPHA, { projectId: 'proj-beta', description: 'sneak in', capability: 'lint' });
    expect(crossSubmit.status).toBe(403);
    // Looking a beta work id up inside alpha finds nothing.
    expect((await call('GET', `/api/work/${betaWork.body.workId}`, ALPHA)).status).toBe(404);
    await alphaAgent.kill('SIGTERM');
    await betaAgent.kill('SIGTERM');
  });

  it('refuses requests without a valid bearer token (401) but keeps /health open', async () => {
    const none = await call('GET', '/api/work', undefined);
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('LOOM_ERR_UNAUTHORIZED');
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    const wrong = await call('GET', '/api/work', 'admin-token-0002');
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(wrong.body)).not.toContain('admin-token-0002');
    expect((await http(weft.url, 'GET', '/api/work', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
    const health = await call('GET', '/health', undefined);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', leader: true, natsConnected: true });
    expect(weft.stderr()).toContain('weft REST API listening');
    for (const token of [ADMIN, ALPHA, BETA, 'admin-token-0002']) expect(weft.stderr()).not.toContain(token);
  });

  it('answers bad requests with 4xx naming the field, and changes nothing', async () => {
    const before = await totalWork();
    const cases: Array<[string, string, unknown, number, RegExp]> = [
      ['POST', '/api/work', { description: 'x', capability: 'lint', priority: 'high' }, 400, /body\.priority/],
      ['POST', '/api/work', { description: 'x', capability: 'lint', color: 'blue' }, 400, /body\.color: unknown key/],
      ['POST', '/api/work', { description: 'x' }, 400, /body\.capability/],
      ['POST', '/api/work', { description: 'x', capability: 'lint.>' }, 400, /body\.capability: must be a lowercase token/],
      ['POST', '/api/work', { description: 'x', capability: 'a*b' }, 400, /body\.capability/],
      ['POST', '/api/work', { description: 'x', capability: 'lint', boundary: 'corp orate' }, 400, /body\.boundary/],
      ['POST', '/api/work', { description: 'x', capability: 'lint', projectId: 'proj.alpha' }, 400, /body\.projectId/],
      ['POST', '/api/work', { description: 'x', capability: 'lint', priority: 11 }, 400, /body\.priority/],
      ['POST', '/api/work', [1, 2], 400, /body/],
      ['GET', '/api/work?limit=many', undefined, 400, /query\.limit/],
      ['GET', '/api/work?state=done', undefined, 400, /query\.state/],
      ['GET', '/api/work?sort=asc', undefined, 400, /query\.sort: unknown key/],
      ['GET', '/api/work/bad.id', undefined, 400, /path\.id/],
      ['GET', '/api/agents/not-hex', undefined, 400, /path\.id/],
      ['POST', '/api/targets', { id: 't1', mechanism: 'nope', agentType: 'x', capabilities: ['a'] }, 400, /mechanism: "nope" is not a loaded spin-up mechanism; known: github-actions, kubernetes, local, ssh, webhook/],
      ['GET', '/api/work/11111111-2222-3333-4444-555555555555', undefined, 404, /no work item/],
      ['GET', '/api/nothing-here', undefined, 404, /no route/],
    ];
    for (const [method, path, body, status, message] of cases) {
      const answer = await call(method, path, ADMIN, body);
      expect(answer.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
      expect(answer.body.error.message, `${method} ${path}`).toMatch(message);
      expect(answer.body.error.code).toMatch(/^LOOM_ERR_/);
    }
    const invalidJson = await http(weft.url, 'POST', '/api/work', { token: ADMIN, rawBody: '{"description": "x", ' });
    expect(invalidJson.status).toBe(400);
    expect(invalidJson.body.error.message).toMatch(/body: not valid JSON/);
    const notJson = await http(weft.url, 'POST', '/api/work', { token: ADMIN, rawBody: 'description=x', headers: { 'content-type': 'text/plain' } });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.message).toMatch(/Content-Type: application\/json/);
    const huge = await call('POST', '/api/work', ADMIN, { description: 'x'.repeat(20_000), capability: 'lint' });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('LOOM_ERR_PAYLOAD_TOO_LARGE');
    expect(await totalWork()).toBe(before);
    expect((await call('GET', '/health', undefined)).status).toBe(200);
  });
});

describe('weft REST API: hostile input', () => {
  it('answers random bodies, ids and queries on every route with a 4xx error body, writes nothing and stays up', async () => {
    const before = await totalWork();
    const targetsBefore = (await call('GET', '/api/targets', ADMIN)).body.items.length;
    const notAToken = fc.string().filter((text) => !/^[a-z0-9][a-z0-9_-]{0,63}$/.test(text));
    const hostile = fc.oneof(notAToken, fc.constantFrom('a.b', '*', '>', 'a b', '..', 'x'.repeat(300), '\u0000', '$(rm)'));
    const bodies = fc.sample(fc.oneof(fc.anything(), fc.dictionary(fc.constantFrom('description', 'capability', 'projectId', 'priority', 'id', 'mechanism', 'config', 'paths', 'reason'), fc.anything())), 40);
    // An empty id (or a dot segment, which URLs normalize away) would turn /api/targets/{id} into /api/targets/, a valid route.
    const ids = fc.sample(fc.oneof(hostile, fc.constantFrom('x', 'deadbeefdeadbeef')).filter((id) => id.length > 0 && id !== '.' && id !== '..'), 20);
    let sent = 0;
    for (const op of weftOperations) {
      for (let i = 0; i < 12; i++) {
        const id = ids[(i * 3 + op.id.length) % ids.length]!;
        const withQuery = i % 3 === 0;
        const query = withQuery ? { [['projectId', 'limit', 'state', 'junk'][i % 4]!]: fc.sample(hostile, 1)[0]! } : {};
        const body = op.body ? bodies[(i * 7 + op.id.length) % bodies.length] : undefined;
        // A case the operation's own schema accepts is not hostile: skip it (it would rightly succeed).
        const merged = { ...query, ...(body && typeof body === 'object' && !Array.isArray(body) ? body : {}), ...(op.params ? { id } : {}) };
        if ((body === undefined || (typeof body === 'object' && body !== null && !Array.isArray(body))) && op.input.safeParse(merged).success) continue;
        const path = `${op.path.replace('{id}', encodeURIComponent(id))}${withQuery ? `?${new URLSearchParams(query)}` : ''}`;
        const answer = await http(weft.url, op.method.toUpperCase(), path, { token: ADMIN, ...(body !== undefined ? { rawBody: JSON.stringify(body) ?? 'null' } : {}) });
        sent++;
        expect(answer.status, `${op.method} ${path} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
        expect(answer.status, `${op.method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(answer.body)}`).toBeLessThan(500);
        expect(answer.body.error.code).toMatch(/^LOOM_ERR_/);
      }
    }
    expect(sent).toBeGreaterThan(weftOperations.length * 4);
    expect(await totalWork()).toBe(before);
    expect((await call('GET', '/api/targets', ADMIN)).body.items.length).toBe(targetsBefore);
    expect((await call('GET', '/health', undefined)).body.status).toBe('ok');
  });
});

describe('weft REST API: documents and events', () => {
  it('publishes an OpenAPI 3.1 document that covers every route of the spec and every operation', async () => {
    const { status, body: doc } = await call('GET', '/api/openapi.json', ADMIN);
    expect(status).toBe(200);
    expect(doc.openapi).toBe('3.1.0');
    const spec = [
      'get /health', 'get /api/agents', 'get /api/agents/{id}', 'post /api/agents/{id}/shutdown', 'post /api/work', 'get /api/work', 'get /api/work/{id}',
      'post /api/work/{id}/cancel', 'get /api/targets', 'post /api/targets', 'get /api/targets/{id}', 'put /api/targets/{id}', 'delete /api/targets/{id}',
      'post /api/targets/{id}/spin-up', 'post /api/targets/{id}/test', 'get /api/stats', 'get /api/stats/projects', 'get /api/dlq', 'post /api/dlq/{id}/retry',
      'delete /api/dlq/{id}', 'get /api/orchestrations', 'get /api/events', 'get /api/openapi.json',
    ];
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`));
    expect(documented).toEqual(expect.arrayContaining(spec));
    expect(documented).toEqual(expect.arrayContaining(weftOperations.map((op) => `${op.method} ${op.path}`)));
    const submit = doc.paths['/api/work'].post;
    expect(submit.requestBody.content['application/json'].schema).toBeTruthy();
    expect(Object.keys(submit.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '413', '429']));
    // Every documented route answers (not 404 "no route"), so the document and the server agree.
    for (const entry of documented.filter((e) => e.startsWith('get ') && !e.includes('{') && !e.includes('/api/events'))) {
      const answer = await call('GET', entry.slice(4), ADMIN);
      expect(answer.status, entry).not.toBe(404);
    }
  });

  it('streams work and agent events over SSE', async () => {
    const controller = new AbortController();
    const response = await fetch(`${weft.url}/api/events`, { headers: { authorization: `Bearer ${ALPHA}` }, signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    let text = '';
    const readUntil = async (pattern: RegExp) => {
      const deadline = Date.now() + 20_000;
      while (!pattern.test(text)) {
        if (Date.now() > deadline) throw new Error(`no SSE event matching ${pattern} in:\n${text}`);
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended:\n${text}`);
        text += new TextDecoder().decode(value);
      }
    };
    await readUntil(/event: ready/);
    const agent = await fabric.startAgent({ capability: 'sse', projectId: 'proj-alpha' });
    await readUntil(new RegExp(`event: agent\\ndata: .*"agentId":"${agent.agentId}"`));
    const { body } = await call('POST', '/api/work', ALPHA, { description: 'stream me', capability: 'sse' });
    await readUntil(new RegExp(`event: work\\ndata: .*"workId":"${body.workId}".*"state":"pending"`));
    await readUntil(new RegExp(`event: work-event\\ndata: .*"type":"completed".*"workId":"${body.workId}"`));
    controller.abort();
    await agent.kill('SIGTERM');
  });
});

describe('weft REST API: rate limit', () => {
  it('answers 429 with Retry-After once a token exceeds its requests per window', async () => {
    const limited = await fabric.startWeft({ API_TOKENS: ADMIN, WEFT_RATE_LIMIT_MAX: '5', WEFT_RATE_LIMIT_WINDOW_MS: '60000' });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await http(limited.url, 'GET', '/api/stats', { token: ADMIN })).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const answer = await http(limited.url, 'GET', '/api/stats', { token: ADMIN });
    expect(answer.body.error.code).toBe('LOOM_ERR_RATE_LIMITED');
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    await limited.kill('SIGTERM');
  });
});
