// REST additions against a running weft: spin-up history (GET /api/spin-ups, /api/targets/:id/spin-ups, /api/spin-ups/agents)
// with its token, project and validation rules, OpenAPI and NATS subjects; and the single-use tickets of GET /api/events.
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startFabric, waitFor, type Fabric, type WeftProcess } from '../weft/harness.js';

const ADMIN = 'spin-admin-token-01';
const OTHER = 'spin-other-token-01';
const PROJECT = 'spin-rest';
let fabric: Fabric;
let weft: WeftProcess;
const pids: number[] = [];

const call = <T = any>(method: string, path: string, token = ADMIN, body?: unknown) => http<T>(weft.url, method, path, { ...(token ? { token } : {}), ...(body !== undefined ? { body } : {}) });
const target = (id: string, command: string[]) => call('POST', '/api/targets', ADMIN, { id, mechanism: 'local', agentType: 'worker', capabilities: ['nap'], cooldownMs: 60_000, config: { command, cwd: fabric.project.dir } });

beforeAll(async () => {
  fabric = await startFabric(PROJECT);
  weft = await fabric.startWeft({ API_TOKENS: `${ADMIN};${OTHER}:other-proj` });
  expect((await target('sleeper', ['sleep', '30'])).status).toBe(201);
  expect((await target('broken', ['/nonexistent/loom-agent-binary'])).status).toBe(201);
}, 60_000);

afterAll(async () => {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await fabric?.stop();
});

describe('spin-up history over REST', () => {
  it('lists every attempt newest first, by project and by target, and the agents weft started without their mechanism config', async () => {
    const started = await call('POST', '/api/targets/sleeper/spin-up', ADMIN, { reason: 'first' });
    expect(started.body.outcome).toBe('started');
    expect((await call('POST', '/api/targets/sleeper/spin-up', ADMIN, { reason: 'second' })).body.outcome).toBe('cooldown');
    const failed = await call('POST', '/api/targets/broken/spin-up', ADMIN, { reason: 'third' });
    expect(failed.body.outcome).toBe('failed');

    const all = await call('GET', '/api/spin-ups');
    expect(all.status).toBe(200);
    expect(all.body.items.map((a: { targetId: string; outcome: string }) => `${a.targetId}:${a.outcome}`)).toEqual(['broken:failed', 'sleeper:cooldown', 'sleeper:started']);
    expect(all.body.items[0].error).toMatch(/nonexistent/);
    expect(all.body.items[2]).toMatchObject({ projectId: PROJECT, mechanism: 'local', reason: 'first', agentId: started.body.agentId });

    expect((await call('GET', '/api/spin-ups?targetId=sleeper&limit=1')).body.items.map((a: { outcome: string }) => a.outcome)).toEqual(['cooldown']);
    const ofTarget = await call('GET', '/api/targets/sleeper/spin-ups');
    expect(ofTarget.body.items.map((a: { outcome: string }) => a.outcome)).toEqual(['cooldown', 'started']);
    expect((await call('GET', '/api/targets/broken/spin-ups?limit=5')).body.items).toHaveLength(1);

    const agents = await call('GET', '/api/spin-ups/agents');
    expect(agents.status).toBe(200);
    expect(agents.body.items).toHaveLength(1);
    const [agent] = agents.body.items;
    pids.push(Number(agent.handle.pid));
    expect(agent).toMatchObject({ agentId: started.body.agentId, targetId: 'sleeper', mechanism: 'local', projectId: PROJECT });
    expect(['starting', 'running']).toContain(agent.state);
    expect(agent).not.toHaveProperty('config');
    expect((await call('GET', '/api/spin-ups/agents?targetId=broken')).body.items).toEqual([]);
  });

  it('applies the token and project rules of every other route', async () => {
    expect((await call('GET', '/api/spin-ups', '')).status).toBe(401);
    expect((await call('GET', '/api/spin-ups/agents', '')).status).toBe(401);
    const denied = await call('GET', `/api/targets/sleeper/spin-ups?projectId=${PROJECT}`, OTHER);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('LOOM_ERR_FORBIDDEN');
    // The bound token's own project: its (empty) history, never another project's.
    const own = await call('GET', '/api/spin-ups', OTHER);
    expect(own.status).toBe(200);
    expect(own.body.items).toEqual([]);
  });

  it('rejects bad queries with 400 naming the field', async () => {
    for (const [path, field] of [
      ['/api/spin-ups?limit=0', 'query.limit'],
      ['/api/spin-ups?targetId=a.b', 'query.targetId'],
      ['/api/spin-ups/agents?bogus=1', 'query.bogus'],
      ['/api/targets/Bad*Id/spin-ups', 'path.id'],
    ] as const) {
      const answer = await call('GET', path);
      expect(answer.status, path).toBe(400);
      expect(answer.body.error.details.fields, path).toContain(field);
    }
  });

  it('documents the routes in the OpenAPI document and answers the same operations over NATS', async () => {
    const doc = (await call('GET', '/api/openapi.json')).body;
    expect(doc.paths['/api/spin-ups'].get.operationId).toBe('spin-ups.list');
    expect(doc.paths['/api/targets/{id}/spin-ups'].get.operationId).toBe('targets.spin-ups');
    expect(doc.paths['/api/spin-ups/agents'].get.operationId).toBe('spin-ups.agents');
    expect(doc.paths['/api/events/ticket'].post).toBeDefined();

    const nc = await connect({ servers: fabric.nats.url });
    try {
      const reply = await waitFor(async () => JSON.parse((await nc.request(`coord.${PROJECT}.spin-ups.list`, JSON.stringify({ targetId: 'sleeper' }), { timeout: 5000 })).string()), 'the NATS API to answer');
      expect(reply.ok).toBe(true);
      expect(reply.data.items.map((a: { outcome: string }) => a.outcome)).toEqual(['cooldown', 'started']);
      const agents = JSON.parse((await nc.request(`coord.${PROJECT}.spin-ups.agents`, '{}', { timeout: 5000 })).string());
      expect(agents.data.items[0].targetId).toBe('sleeper');
    } finally {
      await nc.close();
    }
  });
});

/** Opens GET /api/events and returns its status and first event name (the stream is closed right after). */
async function openEvents(query: string): Promise<{ status: number; first?: string; body?: any }> {
  const abort = new AbortController();
  const response = await fetch(`${weft.url}/api/events?${query}`, { signal: abort.signal });
  if (response.status !== 200) return { status: response.status, body: await response.json() };
  const reader = response.body!.getReader();
  let text = '';
  while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
  abort.abort();
  return { status: 200, first: /^event: (\S+)/.exec(text)?.[1] };
}

describe('event-stream tickets (how a browser EventSource authenticates)', () => {
  it('trades a bearer token for a single-use ticket that opens the event stream once', async () => {
    expect((await call('POST', '/api/events/ticket', '')).status).toBe(401);
    const issued = await call('POST', '/api/events/ticket');
    expect(issued.status).toBe(200);
    expect(Date.parse(issued.body.expiresAt) - Date.now()).toBeGreaterThan(30_000);
    const ticket = issued.body.ticket as string;
    expect(ticket).not.toContain(ADMIN);

    expect(await openEvents(`projectId=${PROJECT}&ticket=${ticket}`)).toMatchObject({ status: 200, first: 'ready' });
    const reused = await openEvents(`projectId=${PROJECT}&ticket=${ticket}`);
    expect(reused.status).toBe(401);
    expect(reused.body.error.message).toMatch(/ticket/);
    expect((await openEvents(`ticket=not-a-ticket`)).status).toBe(401);
    expect(weft.stderr()).not.toContain(ticket);
  });

  it('gives a ticket only the projects of the token it came from', async () => {
    const { ticket } = (await call('POST', '/api/events/ticket', OTHER)).body;
    const denied = await openEvents(`projectId=${PROJECT}&ticket=${ticket}`);
    expect(denied.status).toBe(403);
    const { ticket: second } = (await call('POST', '/api/events/ticket', OTHER)).body;
    expect(await openEvents(`ticket=${second}`)).toMatchObject({ status: 200, first: 'ready' });
  });
});
