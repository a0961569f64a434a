// End to end: every scope/category combination stores and recalls, and visibility follows the scope rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { CATEGORIES, CATEGORIES_BY_SCOPE } from '../../plugins/pattern/categories.js';
import { SCOPES } from '../../core/index.js';
import { expectToolList } from '../fixtures/tool-list.js';
import { callError, eventually, recalledIds, remember, removeHomes, startPattern, type PatternAgent } from './harness.js';

let nats: NatsServerHandle;
// a and b share project x but not a principal; c is a's principal in project y.
let a: PatternAgent;
let b: PatternAgent;
let c: PatternAgent;

beforeAll(async () => {
  nats = await startNatsServer();
  [a, b, c] = await Promise.all([
    startPattern(nats, { projectId: 'proj-x', principal: 'ada@laptop' }),
    startPattern(nats, { projectId: 'proj-x', principal: 'bob@desktop' }),
    startPattern(nats, { projectId: 'proj-y', principal: 'ada@laptop' }),
  ]);
});

afterAll(async () => {
  await Promise.all([a, b, c].map((agent) => agent?.close()));
  await nats?.stop();
  removeHomes();
});

describe('scopes and categories', () => {
  it('lists exactly the ten pattern tools, each with a title, description, schemas and annotations', async () => {
    const { tools } = await a.client.listTools();
    expectToolList(tools, {
      names: ['cleanup', 'commit_insight', 'core_memory', 'forget', 'recall_context', 'remember', 'remember_learning', 'remember_task', 'search_memories', 'share_learning'],
      readOnly: ['recall_context', 'search_memories'],
    });
  });

  const allowed = SCOPES.flatMap((scope) => CATEGORIES_BY_SCOPE[scope].map((category) => [scope, category] as const));
  it.each(allowed)('stores and recalls a %s/%s memory', async (scope, category) => {
    const stored = await remember(a, { content: `a ${scope} ${category} memory`, scope, category });
    expect(stored).toMatchObject({ scope, category, agentId: a.agentId, principal: a.principal, projectId: 'proj-x' });
    expect(stored.id).toMatch(/^[0-9a-f]{32}$/);
    const recalled = await a.call<{ memories: Array<{ id: string; content: string }> }>('recall_context', { scopes: [scope], categories: [category], limit: 200 });
    expect(recalled.memories.find((memory) => memory.id === stored.id)?.content).toBe(`a ${scope} ${category} memory`);
  });

  const disallowed = SCOPES.flatMap((scope) => CATEGORIES.filter((category) => !CATEGORIES_BY_SCOPE[scope].includes(category)).map((category) => [scope, category] as const));
  it.each(disallowed)('refuses a %s/%s memory with an error naming the category and what the scope allows', async (scope, category) => {
    const text = await callError(a, 'remember', { content: `never stored ${scope} ${category}`, scope, category });
    expect(text).toMatch(/^LOOM_ERR_INVALID_INPUT: category: /);
    expect(text).toContain(CATEGORIES_BY_SCOPE[scope].join(', '));
    const search = await a.call<{ results: Array<{ memory: { content: string } }> }>('search_memories', { query: `never stored ${scope} ${category}`, limit: 100 });
    expect(search.results.map((result) => result.memory.content)).not.toContain(`never stored ${scope} ${category}`);
  });
});

describe('visibility', () => {
  it("keeps agent A's private memories from agent B of the same project", async () => {
    const secretPlan = await remember(a, { content: 'private plan: refactor the inbox consumer', scope: 'private', category: 'longterm' });
    const teamNote = await remember(a, { content: 'team note: inbox consumers are durable', scope: 'team', category: 'decisions' });
    await eventually(async () => (await recalledIds(b)).includes(teamNote.id));
    expect(await recalledIds(b)).not.toContain(secretPlan.id);
    const search = await b.call<{ results: Array<{ memory: { id: string } }> }>('search_memories', { query: 'private plan refactor inbox consumer' });
    expect(search.results.map((result) => result.memory.id)).not.toContain(secretPlan.id);
    expect(await callError(b, 'forget', { memoryId: secretPlan.id })).toMatch(/^LOOM_ERR_NOT_FOUND: memoryId: /);
    expect(await callError(b, 'commit_insight', { memoryId: secretPlan.id })).toMatch(/^LOOM_ERR_NOT_FOUND/);
  });

  it('shows team memories to every agent of the project and to no other project', async () => {
    const fromB = await remember(b, { content: 'team architecture: pattern keeps an index per process', scope: 'team', category: 'architecture' });
    await eventually(async () => (await recalledIds(a)).includes(fromB.id));
    expect(await recalledIds(b)).toContain(fromB.id);
    const fromA = await remember(a, { content: 'a marker that is published after the team memory', scope: 'public', category: 'learnings' });
    await eventually(async () => (await recalledIds(c)).includes(fromA.id));
    expect(await recalledIds(c)).not.toContain(fromB.id);
  });

  it('shows public memories from another project', async () => {
    const shared = await remember(a, { content: 'public learning: NATS 2.9 has no per-message TTL', scope: 'public', category: 'learnings' });
    const seen = await eventually(async () => {
      const recalled = await c.call<{ memories: Array<{ id: string; projectId: string }> }>('recall_context', { scopes: ['public'], limit: 200 });
      return recalled.memories.find((memory) => memory.id === shared.id) ?? false;
    });
    expect(seen.projectId).toBe('proj-x');
    const search = await c.call<{ results: Array<{ memory: { id: string } }> }>('search_memories', { query: 'per-message TTL' });
    expect(search.results[0]?.memory.id).toBe(shared.id);
  });

  it('recalls personal memories for the same principal in another project and for no other principal', async () => {
    const personal = await remember(a, { content: 'personal: I prefer small pull requests', scope: 'personal', category: 'longterm' });
    const core = await a.call<{ memory: { id: string } }>('core_memory', { content: 'personal core: always run the linter before pushing' });
    await eventually(async () => {
      const ids = await recalledIds(c);
      return ids.includes(personal.id) && ids.includes(core.memory.id);
    });
    // b sees a's later team memory, so b's index is current, and a's personal memories are still absent.
    const marker = await remember(a, { content: 'marker after the personal ones', scope: 'team', category: 'learnings' });
    await eventually(async () => (await recalledIds(b)).includes(marker.id));
    const ids = await recalledIds(b);
    expect(ids).not.toContain(personal.id);
    expect(ids).not.toContain(core.memory.id);
  });
});
