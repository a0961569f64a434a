// Tokens bound to projects in loom.config.ts (options['weft:api'].tokens), not API_TOKENS: a token bound to project X
// sees and writes X only, is refused (403) on Y, and an unbound token from the same list sees both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startFabric, type Fabric, type WeftProcess } from './harness.js';

const ADMIN = 'config-admin-0001';
const XRAY = 'config-xray-0001';
const CONFIG = `export default { options: { 'weft:api': { tokens: ${JSON.stringify([{ token: ADMIN }, { token: XRAY, projects: ['proj-x'] }])} } } };\n`;
let fabric: Fabric;
let weft: WeftProcess;

beforeAll(async () => {
  fabric = await startFabric('proj-x', { 'loom.config.ts': CONFIG });
  weft = await fabric.startWeft();
});
afterAll(async () => {
  await fabric?.stop();
});

const call = (method: string, path: string, token: string | undefined, body?: unknown) => http(weft.url, method, path, { ...(token ? { token } : {}), ...(body !== undefined ? { body } : {}) });

describe('API tokens from loom.config.ts', () => {
  it('bind a token to its project: it sees X, gets 403 on Y, and the unbound config token sees both', async () => {
    // Configured tokens turn authentication on: no token is 401, an unknown one too.
    expect((await call('GET', '/api/work', undefined)).status).toBe(401);
    expect((await call('GET', '/api/work', 'config-other-0001')).status).toBe(401);

    const x = await call('POST', '/api/work', XRAY, { description: 'x-ray the parcel', capability: 'scan' });
    expect(x.status, JSON.stringify(x.body)).toBe(201);
    expect(x.body.projectId).toBe('proj-x');
    const y = await call('POST', '/api/work', ADMIN, { projectId: 'proj-y', description: 'y work', capability: 'scan' });
    expect(y.status, JSON.stringify(y.body)).toBe(201);
    expect(y.body.projectId).toBe('proj-y');

    const seen = (await call('GET', '/api/work', XRAY)).body.items.map((w: { workId: string }) => w.workId);
    expect(seen).toContain(x.body.workId);
    expect(seen).not.toContain(y.body.workId);
    expect((await call('GET', `/api/work/${x.body.workId}`, XRAY)).status).toBe(200);
    expect((await call('GET', '/api/stats/projects', XRAY)).body.projects.map((p: { projectId: string }) => p.projectId)).toEqual(['proj-x']);

    for (const [method, path, body] of [
      ['GET', '/api/work?projectId=proj-y', undefined],
      ['GET', '/api/stats?projectId=proj-y', undefined],
      ['GET', '/api/agents?projectId=proj-y', undefined],
      ['POST', '/api/work', { projectId: 'proj-y', description: 'sneak in', capability: 'scan' }],
      ['POST', `/api/work/${y.body.workId}/cancel`, { projectId: 'proj-y' }],
    ] as const) {
      const denied = await call(method, path, XRAY, body);
      expect(denied.status, `${method} ${path}`).toBe(403);
      expect(denied.body.error.code).toBe('LOOM_ERR_FORBIDDEN');
    }
    // The refused cancel changed nothing in Y.
    expect((await call('GET', `/api/work/${y.body.workId}?projectId=proj-y`, ADMIN)).body.state).toBe('pending');

    const projects = (await call('GET', '/api/stats/projects', ADMIN)).body.projects.map((p: { projectId: string }) => p.projectId);
    expect(projects).toEqual(expect.arrayContaining(['proj-x', 'proj-y']));
    expect((await call('GET', '/api/work?projectId=proj-y', ADMIN)).body.items.map((w: { workId: string }) => w.workId)).toEqual([y.body.workId]);
    for (const token of [ADMIN, XRAY]) expect(weft.stderr()).not.toContain(token);
  });
});
