// End to end: real TTLs, commit_insight, share_learning, the forget rules and the personal core limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { createNames } from '../../core/index.js';
import { sha256 } from '../../core/isolation/identity.js';
import type { MemoryRecord } from '../../plugins/pattern/record.js';
import { callError, eventually, openBuckets, recall, recalledIds, remember, removeHomes, startPattern, type PatternAgent } from './harness.js';

const TTL_MS = 1500;
const names = createNames('proj-l');
let nats: NatsServerHandle;
let a: PatternAgent;
let b: PatternAgent;
let buckets: Awaited<ReturnType<typeof openBuckets>>;

beforeAll(async () => {
  nats = await startNatsServer();
  const shortLived = { PATTERN_RECENT_TTL_MS: String(TTL_MS), PATTERN_TASKS_TTL_MS: String(TTL_MS) };
  [a, b] = await Promise.all([
    startPattern(nats, { projectId: 'proj-l', principal: 'ada@laptop', env: shortLived }),
    // b sweeps its own expired memories in the background.
    startPattern(nats, { projectId: 'proj-l', principal: 'bob@desktop', env: { ...shortLived, PATTERN_SWEEP_INTERVAL_MS: '200' } }),
  ]);
  buckets = await openBuckets(nats);
});

afterAll(async () => {
  await buckets?.close();
  await Promise.all([a, b].map((agent) => agent?.close()));
  await nats?.stop();
  removeHomes();
});

/** Waits until the wall clock is past a memory's expiry: the server cannot see this wait. */
const pastExpiry = (memory: MemoryRecord) => eventually(async () => Date.now() > Date.parse(memory.expiresAt!) + 20, TTL_MS * 10);

describe('expiry', () => {
  it('never returns an expired recent or tasks memory, even though cleanup never ran, and cleanup then deletes it', async () => {
    const recent = await remember(a, { content: 'short-lived observation about the flaky build' });
    const task = (await a.call<{ memory: MemoryRecord }>('remember_task', { content: 'short-lived task: rerun the flaky build' })).memory;
    expect(recent.category).toBe('recent');
    expect(Date.parse(recent.expiresAt!) - Date.parse(recent.createdAt)).toBe(TTL_MS);
    expect(Date.parse(task.expiresAt!) - Date.parse(task.createdAt)).toBe(TTL_MS);
    expect(await recalledIds(a)).toEqual(expect.arrayContaining([recent.id, task.id]));

    await pastExpiry(recent);
    await pastExpiry(task);
    const recentKey = names.memoryKey('recent', recent.id, a.agentId);
    const taskKey = names.memoryKey('tasks', task.id, a.agentId);
    // Still stored: only the read-side filter keeps them out.
    expect(await buckets.keys(names.memoryBucket('private'))).toEqual(expect.arrayContaining([recentKey, taskKey]));
    const ids = await recalledIds(a);
    expect(ids).not.toContain(recent.id);
    expect(ids).not.toContain(task.id);
    const search = await a.call<{ results: Array<{ memory: { id: string } }> }>('search_memories', { query: 'short-lived flaky build' });
    expect(search.results.map((result) => result.memory.id)).not.toContain(recent.id);
    expect(await callError(a, 'commit_insight', { memoryId: recent.id })).toMatch(/^LOOM_ERR_NOT_FOUND/);

    const dry = await a.call<{ deleted: number; dryRun: boolean }>('cleanup', { dryRun: true });
    expect(dry.deleted).toBeGreaterThanOrEqual(2);
    expect(await buckets.keys(names.memoryBucket('private'))).toContain(recentKey);
    const cleaned = await a.call<{ deleted: number; byCategory: Record<string, number> }>('cleanup', {});
    expect(cleaned.byCategory.recent).toBeGreaterThanOrEqual(1);
    expect(cleaned.byCategory.tasks).toBeGreaterThanOrEqual(1);
    const left = await buckets.keys(names.memoryBucket('private'));
    expect(left).not.toContain(recentKey);
    expect(left).not.toContain(taskKey);
  });

  it('the background sweep deletes expired memories from storage without a cleanup call', async () => {
    const recent = await remember(b, { content: 'swept away after its lifetime' });
    const key = names.memoryKey('recent', recent.id, b.agentId);
    expect(await buckets.keys(names.memoryBucket('private'))).toContain(key);
    await eventually(async () => !(await buckets.keys(names.memoryBucket('private'))).includes(key), TTL_MS * 10);
    expect(Date.now()).toBeGreaterThan(Date.parse(recent.expiresAt!));
  });

  it('commit_insight makes a recent memory permanent: it outlives its expiry as longterm with the same id', async () => {
    const recent = await remember(a, { content: 'insight: the KV watch must start before the list' });
    const committed = await a.call<{ memory: MemoryRecord; previousCategory: string; promoted: boolean }>('commit_insight', { memoryId: recent.id });
    expect(committed).toMatchObject({ previousCategory: 'recent', promoted: true, memory: { id: recent.id, category: 'longterm', content: recent.content } });
    expect(committed.memory.expiresAt).toBeUndefined();

    await pastExpiry(recent);
    const after = await recall(a, { categories: ['longterm'] });
    expect(after.memories.find((memory) => memory.id === recent.id)?.category).toBe('longterm');
    const keys = await buckets.keys(names.memoryBucket('private'));
    expect(keys).toContain(names.memoryKey('longterm', recent.id, a.agentId));
    expect(keys).not.toContain(names.memoryKey('recent', recent.id, a.agentId));
    const again = await a.call<{ promoted: boolean }>('commit_insight', { memoryId: recent.id });
    expect(again.promoted).toBe(false);
  });
});

describe('sharing and forgetting', () => {
  it('share_learning copies a private memory to the team, records who shared it, and keeps the original', async () => {
    const original = await remember(a, { content: 'learning: reuse one NATS connection per process', category: 'longterm', tags: ['nats'] });
    const shared = await a.call<{ memory: MemoryRecord; originalKept: boolean }>('share_learning', { memoryId: original.id });
    expect(shared.originalKept).toBe(true);
    expect(shared.memory).toMatchObject({ scope: 'team', category: 'learnings', content: original.content, tags: ['nats'], sharedBy: a.agentId, sharedFrom: original.id, agentId: a.agentId });
    expect(shared.memory.id).not.toBe(original.id);
    expect(await recalledIds(a)).toEqual(expect.arrayContaining([original.id, shared.memory.id]));
    const seenByB = await eventually(async () => (await recall(b)).memories.find((memory) => memory.id === shared.memory.id) ?? false);
    expect(seenByB.sharedFrom).toBe(original.id);
    expect(await recalledIds(b)).not.toContain(original.id);
  });

  it('share_learning with keepOriginal false moves the memory to the team', async () => {
    const original = await remember(a, { content: 'decision: pattern keeps TTLs per record', category: 'longterm' });
    const shared = await a.call<{ memory: MemoryRecord; originalKept: boolean }>('share_learning', { memoryId: original.id, category: 'decisions', keepOriginal: false });
    expect(shared).toMatchObject({ originalKept: false, memory: { category: 'decisions' } });
    const ids = await recalledIds(a);
    expect(ids).toContain(shared.memory.id);
    expect(ids).not.toContain(original.id);
    expect(await buckets.keys(names.memoryBucket('private'))).not.toContain(names.memoryKey('longterm', original.id, a.agentId));
  });

  it('lets only the author forget a team or public memory', async () => {
    const team = await remember(a, { content: 'team decision only ada may withdraw', scope: 'team', category: 'decisions' });
    const pub = await remember(a, { content: 'public learning only ada may withdraw', scope: 'public', category: 'learnings' });
    await eventually(async () => {
      const ids = await recalledIds(b);
      return ids.includes(team.id) && ids.includes(pub.id);
    });
    for (const memory of [team, pub]) {
      const text = await callError(b, 'forget', { memoryId: memory.id });
      expect(text).toMatch(/^LOOM_ERR_FORBIDDEN: memoryId: .*only its author can forget it/);
    }
    expect(await recalledIds(b)).toEqual(expect.arrayContaining([team.id, pub.id]));
    expect(await a.call('forget', { memoryId: team.id })).toEqual({ forgotten: { id: team.id, scope: 'team', category: 'decisions' } });
    await eventually(async () => !(await recalledIds(b)).includes(team.id));
    expect(await buckets.keys(names.memoryBucket('team'))).not.toContain(names.memoryKey('decisions', team.id));
  });

  it('forgets a core memory only with force', async () => {
    const core = (await a.call<{ memory: MemoryRecord }>('core_memory', { content: 'core: this repository uses ESM only', scope: 'private' })).memory;
    expect(core).toMatchObject({ scope: 'private', category: 'core' });
    expect(await callError(a, 'forget', { memoryId: core.id })).toMatch(/^LOOM_ERR_FORBIDDEN: force: .*core memory/);
    expect(await recalledIds(a)).toContain(core.id);
    await a.call('forget', { memoryId: core.id, force: true });
    expect(await recalledIds(a)).not.toContain(core.id);
    expect(await callError(a, 'forget', { memoryId: core.id, force: true })).toMatch(/^LOOM_ERR_NOT_FOUND/);
  });

  it("refuses a principal's 101st personal core memory and stores nothing for it", async () => {
    const bucket = names.personalMemoryBucket(sha256('ada@laptop').slice(0, 16));
    const existing = (await buckets.keys(bucket)).filter((key) => key.startsWith('core.')).length;
    const stored: string[] = [];
    for (let i = existing; i < 100; i += 1) stored.push((await a.call<{ memory: MemoryRecord }>('core_memory', { content: `core fact number ${i}` })).memory.id);
    expect((await buckets.keys(bucket)).filter((key) => key.startsWith('core.'))).toHaveLength(100);
    const text = await callError(a, 'core_memory', { content: 'core fact number 101' });
    expect(text).toMatch(/^LOOM_ERR_LIMIT_REACHED: .*100/);
    expect((await buckets.keys(bucket)).filter((key) => key.startsWith('core.'))).toHaveLength(100);
    expect((await recall(a, { scopes: ['personal'], categories: ['core'] })).total).toBe(100);
    // Room again after forgetting one.
    await a.call('forget', { memoryId: stored[0], force: true });
    await a.call('core_memory', { content: 'core fact number 101, second try' });
    expect((await buckets.keys(bucket)).filter((key) => key.startsWith('core.'))).toHaveLength(100);
  });
});
