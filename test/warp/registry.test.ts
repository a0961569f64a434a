// The agent registry end to end: registration, discovery, presence, and crashed agents going offline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpSession } from '../../core/testing/mcp-client.js';
import { agentIdFor, errorText, eventually, startWarpFixture, streamLastSeq, type WarpFixture } from './messaging-fixture.js';
import { openKv } from '../../core/testing/kv.js';

interface Agent {
  id: string;
  handle: string;
  agentType: string;
  capabilities: string[];
  status: 'online' | 'busy' | 'offline';
  currentTaskCount: number;
  lastSeen: string;
  heartbeatMs: number;
}

const PROJECT = 'reg-e2e';
// Long enough that one index refresh (a watch delivery) is small beside it, short enough that 3 intervals pass quickly.
const HEARTBEAT_MS = 1000;
const SLACK_MS = HEARTBEAT_MS / 2;
let fixture: WarpFixture;
let bob: McpSession;

const start = (seed: string) => fixture.warp({ projectId: PROJECT, agentId: agentIdFor(seed), env: { LOOMINAL_HEARTBEAT_MS: String(HEARTBEAT_MS) } });
const discover = async (session: McpSession, filter: Record<string, unknown>) => (await session.call<{ agents: Agent[]; total: number }>('discover_agents', filter)).agents;

beforeAll(async () => {
  fixture = await startWarpFixture();
  bob = await start('b');
});

afterAll(async () => {
  await fixture?.close();
});

describe('agent registry', () => {
  it('an agent registered with capabilities is discovered by capability and type, and get_agent_info takes the id register_agent returned', async () => {
    const alice = await start('a');
    const registered = await alice.call<{ agentId: string; agent: Agent; heartbeatMs: number }>('register_agent', { agentType: 'reviewer', capabilities: ['typescript', 'testing'], handle: 'alice' });
    expect(registered.agentId).toBe(agentIdFor('a'));
    expect(registered.heartbeatMs).toBe(HEARTBEAT_MS);

    const byCapability = await eventually(() => discover(bob, { capability: 'testing' }), (agents) => agents.some((a) => a.id === registered.agentId), { what: 'alice discoverable by capability' });
    expect(byCapability.find((a) => a.id === registered.agentId)).toMatchObject({ agentType: 'reviewer', handle: 'alice', status: 'online', capabilities: ['typescript', 'testing'] });
    expect((await discover(bob, { agentType: 'reviewer' })).map((a) => a.id)).toContain(registered.agentId);
    expect((await discover(bob, { agentType: 'reviewer', capability: 'typescript' })).map((a) => a.id)).toContain(registered.agentId);
    expect((await discover(bob, { capability: 'python' })).map((a) => a.id)).not.toContain(registered.agentId);
    expect((await discover(bob, { agentType: 'planner' })).map((a) => a.id)).not.toContain(registered.agentId);

    const info = await bob.call<{ agent: Agent }>('get_agent_info', { agentId: registered.agentId });
    expect(info.agent).toMatchObject({ id: registered.agentId, agentType: 'reviewer', status: 'online' });
    await alice.close();
  });

  it('presence updates are seen by others, and only the registering server may change an agent', async () => {
    const dana = await start('d');
    await dana.call('register_agent', { agentType: 'builder', capabilities: ['go'] });
    await dana.call('update_presence', { status: 'busy', currentTaskCount: 2 });
    const busy = await eventually(() => bob.call<{ agent: Agent }>('get_agent_info', { agentId: agentIdFor('d') }), (r) => r.agent.status === 'busy', { what: 'dana busy' });
    expect(busy.agent.currentTaskCount).toBe(2);
    expect((await discover(bob, { status: 'busy' })).map((a) => a.id)).toContain(agentIdFor('d'));

    const refused = await errorText(bob, 'update_presence', { agentId: agentIdFor('d'), status: 'online' });
    expect(refused).toMatch(/^LOOM_ERR_FORBIDDEN/);
    expect(await errorText(bob, 'deregister_agent', { agentId: agentIdFor('d') })).toMatch(/^LOOM_ERR_FORBIDDEN/);

    await dana.call('deregister_agent', {});
    await eventually(() => bob.raw('get_agent_info', { agentId: agentIdFor('d') }), (r) => r.isError === true, { what: 'dana gone' });
    expect(await errorText(bob, 'get_agent_info', { agentId: agentIdFor('d') })).toMatch(/^LOOM_ERR_NOT_FOUND/);
    await dana.close();
  });

  it('a SIGKILLed agent is reported offline once 3 heartbeat intervals pass after its last lastSeen, not before and not later', async () => {
    const erin = await start('e');
    await erin.call('register_agent', { agentType: 'worker', capabilities: ['crash-test'] });
    await eventually(() => discover(bob, { capability: 'crash-test', status: 'online' }), (agents) => agents.length === 1, { what: 'erin online' });

    const killedAt = Date.now();
    process.kill(erin.pid()!, 'SIGKILL');
    // Poll both views without pause. Each answer is judged against the clock around it: the server computes the status
    // at some moment between sending and receiving, so "online" proves it was at most 3 intervals (plus SLACK for
    // the watch-fed discovery index) after lastSeen when sent, and "offline" proves more than 3 intervals had passed
    // when received. A loaded machine only makes answers slower, never wrong by these rules.
    type Seen = { sent: number; received: number; status: Agent['status']; lastSeenMs: number };
    const info: Seen[] = [];
    const discovered: Seen[] = [];
    const deadline = killedAt + 3 * HEARTBEAT_MS + 20_000;
    while (Date.now() < deadline && !(info.at(-1)?.status === 'offline' && discovered.at(-1)?.status === 'offline')) {
      let sent = Date.now();
      const { agent } = await bob.call<{ agent: Agent }>('get_agent_info', { agentId: agentIdFor('e') });
      info.push({ sent, received: Date.now(), status: agent.status, lastSeenMs: Date.parse(agent.lastSeen) });
      sent = Date.now();
      const [listed] = await discover(bob, { capability: 'crash-test', includeOffline: true });
      discovered.push({ sent, received: Date.now(), status: listed!.status, lastSeenMs: Date.parse(listed!.lastSeen) });
    }
    expect(info.at(-1)?.status, 'get_agent_info reports erin offline').toBe('offline');
    expect(discovered.at(-1)?.status, 'discover_agents reports erin offline').toBe('offline');
    const lastSeen = info.at(-1)!.lastSeenMs;
    expect(lastSeen, 'no heartbeat after the kill').toBeLessThanOrEqual(killedAt);
    const late = (seen: Seen[], slack: number) => seen.filter((s) => s.status === 'online' && s.sent - lastSeen > 3 * HEARTBEAT_MS + slack);
    const early = (seen: Seen[]) => seen.filter((s) => s.status === 'offline' && s.received - s.lastSeenMs <= 3 * HEARTBEAT_MS);
    expect(late(info, 0), 'get_agent_info still online after 3 intervals').toEqual([]);
    expect(late(discovered, SLACK_MS), 'discover_agents still online after 3 intervals and the index slack').toEqual([]);
    expect(early(info), 'get_agent_info offline before 3 intervals').toEqual([]);
    expect(early(discovered), 'discover_agents offline before 3 intervals').toEqual([]);

    expect(await discover(bob, { capability: 'crash-test', status: 'online' })).toEqual([]);
    expect(await discover(bob, { capability: 'crash-test' })).toEqual([]);
    const withOffline = await discover(bob, { capability: 'crash-test', includeOffline: true });
    expect(withOffline.map((a) => [a.id, a.status])).toEqual([[agentIdFor('e'), 'offline']]);
  });

  it("register_agent with another principal's live agentId is refused, naming agentId, and leaves its entry alone", async () => {
    const gina = await start('9');
    await gina.call('register_agent', { agentType: 'owner', capabilities: ['mine'] });
    const mallory = await fixture.warp({ projectId: PROJECT, agentId: agentIdFor('8'), env: { LOOMINAL_HEARTBEAT_MS: String(HEARTBEAT_MS), LOOMINAL_PRINCIPAL: 'mallory@elsewhere' } });
    const refused = await errorText(mallory, 'register_agent', { agentType: 'impostor', capabilities: ['mine'], agentId: agentIdFor('9') });
    expect(refused).toMatch(/^LOOM_ERR_CONFLICT: agentId: /);
    expect(refused).toContain(agentIdFor('9'));
    const kv = await openKv(fixture.nc, 'loom-registry-reg-e2e');
    expect((await kv.get(agentIdFor('9')))?.json<Agent & { principal: string }>()).toMatchObject({ agentType: 'owner', principal: 'tester@warp-tests', status: 'online' });
    expect((await bob.call<{ agent: Agent }>('get_agent_info', { agentId: agentIdFor('9') })).agent.agentType).toBe('owner');

    // The same principal on the same host may register it (a worker it runs); once gina is offline, anyone may.
    const helper = await start('7');
    await helper.call('register_agent', { agentType: 'owner', capabilities: ['mine', 'helping'], agentId: agentIdFor('9') });
    await Promise.all([gina.close(), helper.close()]);
    await eventually(() => bob.call<{ agent: Agent }>('get_agent_info', { agentId: agentIdFor('9') }), (r) => r.agent.status === 'offline', { what: 'gina offline' });
    const taken = await mallory.call<{ agent: Agent & { principal: string } }>('register_agent', { agentType: 'impostor', agentId: agentIdFor('9') });
    expect(taken.agent).toMatchObject({ agentType: 'impostor', principal: 'mallory@elsewhere', status: 'online' });
    await mallory.close();
  });

  it('discover_agents answers a page of 20 by default, with the total that matched, and more when asked', async () => {
    // 25 workers heartbeated by bob's server; ids from 100 up, clear of the seeds the other tests use.
    const ids = Array.from({ length: 25 }, (_, i) => (100 + i).toString(16).padStart(32, 'e'));
    for (const agentId of ids) await bob.call('register_agent', { agentType: 'pager', capabilities: ['paging'], agentId });
    const all = await eventually(() => bob.call<{ agents: Agent[]; total: number }>('discover_agents', { capability: 'paging', limit: 25 }), (r) => r.total === 25, { what: 'all 25 indexed' });
    expect(new Set(all.agents.map((a) => a.id))).toEqual(new Set(ids));
    const page = await bob.call<{ agents: Agent[]; total: number }>('discover_agents', { capability: 'paging' });
    expect(page.total).toBe(25);
    expect(page.agents).toHaveLength(20);
    // The same order as the larger page: the default cuts the list, it does not pick another one.
    expect(page.agents.map((a) => a.id)).toEqual(all.agents.slice(0, 20).map((a) => a.id));
    for (const agentId of ids) await bob.call('deregister_agent', { agentId });
  });

  it('an agent whose server stops cleanly shows offline at once', async () => {
    const fred = await start('f');
    await fred.call('register_agent', { agentType: 'worker', capabilities: ['clean-stop'] });
    await eventually(() => discover(bob, { capability: 'clean-stop' }), (agents) => agents.length === 1, { what: 'fred online' });
    await fred.close();
    await eventually(() => discover(bob, { capability: 'clean-stop', status: 'offline' }), (agents) => agents.length === 1, { what: 'fred offline' });
    // Written as offline by the stopping server (missed heartbeats never write anything).
    const stored = await openKv(fixture.nc, 'loom-registry-reg-e2e').then((kv) => kv.get(agentIdFor('f')));
    expect(stored?.json<Agent>().status).toBe('offline');
  });

  it('rejects bad input to every registry tool, naming the field, and writes nothing', async () => {
    const registryStream = 'KV_loom-registry-reg-e2e';
    const before = await streamLastSeq(fixture.jsm, registryStream);
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['register_agent', {}, 'agentType'],
      ['register_agent', { agentType: 5 }, 'agentType'],
      ['register_agent', { agentType: 'dev', capabilities: 'typescript' }, 'capabilities'],
      ['register_agent', { agentType: 'dev', capabilities: ['type.script'] }, 'capabilities'],
      ['register_agent', { agentType: 'dev', capabilities: ['ts*'] }, 'capabilities'],
      ['register_agent', { agentType: 'dev', capabilities: ['ts>'] }, 'capabilities'],
      ['register_agent', { agentType: 'dev', capabilities: ['type script'] }, 'capabilities'],
      ['register_agent', { agentType: 'dev team' }, 'agentType'],
      ['register_agent', { agentType: 'dev', scope: 'world' }, 'scope'],
      ['register_agent', { agentType: 'dev', handle: 'a.b' }, 'handle'],
      ['register_agent', { agentType: 'dev', agentId: 'not-hex' }, 'agentId'],
      ['discover_agents', { capability: 'a*' }, 'capability'],
      ['discover_agents', { agentType: 'x>' }, 'agentType'],
      ['discover_agents', { status: 'sleeping' }, 'status'],
      ['discover_agents', { hostname: 'host name' }, 'hostname'],
      ['discover_agents', { limit: 'many' }, 'limit'],
      ['get_agent_info', {}, 'agentId'],
      ['get_agent_info', { agentId: 42 }, 'agentId'],
      ['get_agent_info', { agentId: 'abc.def0' }, 'agentId'],
      ['update_presence', { status: 'away' }, 'status'],
      ['update_presence', { currentTaskCount: -1 }, 'currentTaskCount'],
      ['update_presence', { handle: 'a b' }, 'handle'],
      ['update_presence', { agentId: '>' }, 'agentId'],
      ['deregister_agent', { agentId: 'a.b' }, 'agentId'],
    ];
    for (const [tool, args, field] of cases) {
      const text = await errorText(bob, tool, args);
      expect(text, `${tool} ${JSON.stringify(args)}`).toMatch(/^LOOM_ERR_INVALID_(INPUT|NAME)/);
      expect(text, `${tool} ${JSON.stringify(args)}`).toContain(field);
    }
    expect(await streamLastSeq(fixture.jsm, registryStream)).toBe(before);
  });
});
