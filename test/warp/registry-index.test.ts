// The registry's local index rules (staleness, removal, visibility, capability lookup), on an in-process kernel.
// The NATS behaviour of the same code is proven by test/warp/registry.test.ts; this covers what a day-long test cannot.
import { afterEach, describe, expect, it } from 'vitest';
import { registryService, storageService, type AgentEntry, type Kernel } from '../../core/index.js';
import { createTestKernel } from '../../core/testing/kernel.js';
import { memoryStorage } from '../../plugins/storage/memory/index.js';
import { registryServicePlugin } from '../../plugins/services/registry/index.js';

let kernel: Kernel | undefined;
afterEach(async () => {
  await kernel?.stop();
  kernel = undefined;
});

const start = (options: Record<string, unknown> = {}) =>
  createTestKernel({ plugins: [memoryStorage, registryServicePlugin], config: { storage: 'memory', options: { 'service:registry': { heartbeatMs: 60_000, ...options } } } });

function entry(id: string, patch: Partial<AgentEntry>): AgentEntry {
  const now = new Date().toISOString();
  return { id, handle: `h-${id.slice(0, 4)}`, agentType: 'dev', capabilities: ['ts'], hostname: 'host', projectId: 'test-project', principal: 'tester@test', scope: 'team', status: 'online', currentTaskCount: 0, registeredAt: now, lastSeen: now, heartbeatMs: 1000, ...patch };
}

describe('registry index', () => {
  it('reports an agent offline once 3 heartbeats are missed, and forgets it after the retention period', async () => {
    kernel = await start({ retentionMs: 60_000 });
    const registry = kernel.use(registryService).forProject('test-project');
    const bucket = await kernel.use(storageService).openBucket({ name: kernel.names.registryBucket, ttlMs: 60_000 });
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    await bucket.put('1'.repeat(32), entry('1'.repeat(32), { lastSeen: ago(2_000) }));
    await bucket.put('2'.repeat(32), entry('2'.repeat(32), { lastSeen: ago(4_000) }));
    await bucket.put('3'.repeat(32), entry('3'.repeat(32), { lastSeen: ago(61_000) }));

    const found = await registry.discover({ capability: 'ts' });
    expect(Object.fromEntries(found.map((a) => [a.id[0], a.status]))).toEqual({ '1': 'online', '2': 'offline' });
    expect((await registry.discover({ status: 'online' })).map((a) => a.id)).toEqual(['1'.repeat(32)]);
    expect(await registry.get('3'.repeat(32))).toBeNull();
  });

  it('follows changes written by others, keeps the capability index current, and applies visibility', async () => {
    kernel = await start();
    const registry = kernel.use(registryService).forProject('test-project');
    const bucket = await kernel.use(storageService).openBucket({ name: kernel.names.registryBucket, ttlMs: 24 * 3600_000 });
    expect(await registry.discover()).toEqual([]);
    const changes: string[] = [];
    registry.onChange((agent, id) => changes.push(`${id[0]}:${agent?.status ?? 'gone'}`));

    await bucket.put('4'.repeat(32), entry('4'.repeat(32), { capabilities: ['go'] }));
    await bucket.put('5'.repeat(32), entry('5'.repeat(32), { scope: 'private' }));
    await expect.poll(() => registry.discover().then((agents) => agents.length)).toBe(2);
    await bucket.put('4'.repeat(32), entry('4'.repeat(32), { capabilities: ['rust'] }));
    await expect.poll(() => registry.discover({ capability: 'rust' }).then((agents) => agents.length)).toBe(1);
    expect(await registry.discover({ capability: 'go' })).toEqual([]);

    const viewer = { agentId: '9'.repeat(32), principal: 'tester@test', projectId: 'test-project' };
    expect((await registry.discover({ visibleTo: viewer })).map((a) => a.id)).toEqual(['4'.repeat(32)]);
    expect((await registry.discover({ visibleTo: { ...viewer, agentId: '5'.repeat(32) } })).map((a) => a.id).sort()).toEqual(['4'.repeat(32), '5'.repeat(32)]);

    await bucket.delete('4'.repeat(32));
    await expect.poll(() => registry.discover({ capability: 'rust' }).then((agents) => agents.length)).toBe(0);
    expect(changes).toContain('4:gone');
  });

  it('a page holds the first matches in discover order (online, busy, offline; newest first) and counts them all', async () => {
    kernel = await start({ retentionMs: 600_000 });
    const registry = kernel.use(registryService).forProject('test-project');
    const bucket = await kernel.use(storageService).openBucket({ name: kernel.names.registryBucket, ttlMs: 600_000 });
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    const agents = Array.from({ length: 30 }, (_, i) => {
      const id = i.toString(16).padStart(32, '0');
      // every third busy, every fifth stale (offline by missed heartbeats), lastSeen spread over 30 s
      return entry(id, { status: i % 3 === 0 ? 'busy' : 'online', lastSeen: ago(i % 5 === 0 ? 10_000 + i * 100 : (i * 7919) % 2_900), heartbeatMs: i % 5 === 0 ? 1000 : 60_000 });
    });
    for (const agent of agents) await bucket.put(agent.id, agent);
    await expect.poll(() => registry.discover().then((found) => found.length)).toBe(30);

    const rank = { online: 0, busy: 1, offline: 2 } as const;
    const ordered = (await registry.discover({ capability: 'ts' })).sort((a, b) => rank[a.status] - rank[b.status] || Date.parse(b.lastSeen) - Date.parse(a.lastSeen));
    const live = ordered.filter((a) => a.status !== 'offline');
    expect(live.length).toBe(24);

    const page = await registry.discoverPage({ capability: 'ts' }, 7);
    expect(page.total).toBe(24);
    expect(page.agents.map((a) => a.id)).toEqual(live.slice(0, 7).map((a) => a.id));
    expect(page.agents.map((a) => a.status).slice(0, 1)).toEqual(['online']);

    const withOffline = await registry.discoverPage({ capability: 'ts', includeOffline: true }, 100);
    expect(withOffline.total).toBe(30);
    expect(withOffline.agents.map((a) => a.id)).toEqual(ordered.map((a) => a.id));
    expect(withOffline.agents.slice(-6).every((a) => a.status === 'offline')).toBe(true);

    const offline = await registry.discoverPage({ status: 'offline' }, 2);
    expect(offline).toMatchObject({ total: 6, agents: ordered.filter((a) => a.status === 'offline').slice(0, 2) });
  });

  it('register heartbeats the entry from this process and deregister removes it', async () => {
    kernel = await start({ heartbeatMs: 50 });
    const registry = kernel.use(registryService).forProject('test-project');
    const registered = await registry.register({ agentId: '6'.repeat(32), agentType: 'dev', capabilities: ['ts', 'ts'], scope: 'team' });
    expect(registered).toMatchObject({ status: 'online', capabilities: ['ts'], heartbeatMs: 50 });
    expect(registry.localAgents?.()).toEqual(['6'.repeat(32)]);
    await expect.poll(async () => (await registry.get('6'.repeat(32)))?.lastSeen !== registered.lastSeen).toBe(true);
    await registry.deregister('6'.repeat(32));
    expect(await registry.get('6'.repeat(32))).toBeNull();
    expect(registry.localAgents?.()).toEqual([]);
  });
});
