// weft's REST API: tokens bound to projects (403 elsewhere), no token in any log line (even at debug level), helmet
// headers on every answer, and no CORS unless origins are configured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startFabric, type Fabric, type WeftProcess } from '../weft/harness.js';

const ALPHA = 'alpha-secret-token-4f9c1e'; // bound to project rest-a
const OMEGA = 'omega-secret-token-77d2b0'; // any project
const WRONG = 'wrong-secret-token-0000aa';
let fabric: Fabric;
let weft: WeftProcess;

beforeAll(async () => {
  fabric = await startFabric('rest-a');
  weft = await fabric.startWeft({ API_TOKENS: `${ALPHA}:rest-a;${OMEGA}`, LOG_LEVEL: 'debug' });
}, 60_000);

afterAll(async () => {
  await fabric?.stop();
});

describe('project-bound tokens', () => {
  it('a token bound to project A works on A and gets 403 on project B, on reads and on writes', async () => {
    expect((await http(weft.url, 'GET', '/api/work?projectId=rest-a', { token: ALPHA })).status).toBe(200);
    for (const [method, path, body] of [
      ['GET', '/api/work?projectId=rest-b', undefined],
      ['GET', '/api/agents?projectId=rest-b', undefined],
      ['GET', '/api/work/some-item?projectId=rest-b', undefined],
      ['POST', '/api/work', { projectId: 'rest-b', description: 'not yours', capability: 'build' }],
      ['POST', '/api/targets', { projectId: 'rest-b', id: 'box', mechanism: 'local', agentType: 'worker', capabilities: ['build'], config: { command: 'true' } }],
      ['GET', '/api/dlq?projectId=rest-b', undefined],
    ] as const) {
      const answer = await http(weft.url, method, path, { token: ALPHA, ...(body ? { body } : {}) });
      expect(answer.status, `${method} ${path}`).toBe(403);
      expect(answer.body.error.code).toBe('LOOM_ERR_FORBIDDEN');
    }
  });

  it('an unbound token may use any project; a missing or unknown token gets 401', async () => {
    expect((await http(weft.url, 'GET', '/api/work?projectId=rest-b', { token: OMEGA })).status).toBe(200);
    for (const token of [undefined, WRONG]) {
      const answer = await http(weft.url, 'GET', '/api/work?projectId=rest-a', token ? { token } : {});
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('LOOM_ERR_UNAUTHORIZED');
    }
  });
});

describe('secrets in logs', () => {
  it('no token appears in any log line, whatever was sent where (header, query, body, failed attempts)', async () => {
    await http(weft.url, 'GET', '/api/stats', { token: OMEGA });
    await http(weft.url, 'GET', '/api/stats', { token: WRONG });
    await http(weft.url, 'GET', '/api/work', { headers: { authorization: `Basic ${ALPHA}` } });
    await http(weft.url, 'POST', '/api/work', { token: ALPHA, body: { description: `please use ${OMEGA}`, capability: 'build', contextData: { token: WRONG } } });
    await http(weft.url, 'GET', `/api/work?projectId=rest-a&cursor=${WRONG}`, { token: ALPHA });
    const events = new AbortController();
    const sse = await fetch(`${weft.url}/api/events?access_token=${OMEGA}`, { signal: events.signal });
    expect(sse.status).toBe(200);
    events.abort();
    await fetch(`${weft.url}/api/events?access_token=${WRONG}`).then((r) => r.text());
    const logs = `${weft.stdout()}\n${weft.stderr()}`;
    expect(logs.length).toBeGreaterThan(0);
    for (const token of [ALPHA, OMEGA, WRONG]) expect(logs).not.toContain(token);
    // Not even a recognisable piece of one.
    for (const token of [ALPHA, OMEGA, WRONG]) expect(logs).not.toContain(token.slice(0, 12));
  });
});

describe('response headers', () => {
  it('every answer, API or dashboard, success or error, carries helmet headers and no X-Powered-By', async () => {
    for (const [path, token] of [['/api/stats', OMEGA], ['/api/stats', undefined], ['/', undefined], ['/health', undefined], ['/api/nothing-here', OMEGA]] as const) {
      const answer = await http(weft.url, 'GET', path, token ? { token } : {});
      expect(answer.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(answer.headers.get('content-security-policy'), path).toContain("default-src 'self'");
      expect(answer.headers.get('x-frame-options') ?? answer.headers.get('content-security-policy'), path).toMatch(/SAMEORIGIN|frame-ancestors 'self'/);
      expect(answer.headers.get('strict-transport-security'), path).toMatch(/max-age=\d+/);
      expect(answer.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(answer.headers.get('x-powered-by'), path).toBeNull();
    }
  });

  it('sends no CORS headers by default, to simple requests or to preflights from any origin', async () => {
    const simple = await http(weft.url, 'GET', '/api/stats', { token: OMEGA, headers: { origin: 'https://evil.example' } });
    expect(simple.status).toBe(200);
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${weft.url}/api/work`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-headers')).toBeNull();
  });
});
