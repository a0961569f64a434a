// End to end: recall_context's priority order and 4 KB summary, and search_memories' ranking among many memories.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import type { MemoryRecord } from '../../plugins/pattern/record.js';
import { eventually, recall, remember, removeHomes, startPattern, type PatternAgent } from './harness.js';

let nats: NatsServerHandle;
let agent: PatternAgent;

beforeAll(async () => {
  nats = await startNatsServer();
  agent = await startPattern(nats, { projectId: 'proj-r', principal: 'ada@laptop' });
});

afterAll(async () => {
  await agent?.close();
  await nats?.stop();
  removeHomes();
});

/** Close to 32 KB of text with multi-byte characters, so byte and character counts differ. */
const large = (label: string) => `${label} ${'Grüße aus Köln — naïve café résumé 🚀 '.repeat(700)}`.slice(0, 10_000);

async function store(scope: string, category: string, label: string): Promise<MemoryRecord> {
  const tool = category === 'core' ? 'core_memory' : 'remember';
  const args = category === 'core' ? { content: large(label), scope } : { content: large(label), scope, category };
  const memory = (await agent.call<{ memory: MemoryRecord }>(tool, args)).memory;
  // The next memory gets a strictly later createdAt, so "newest first" has one right answer.
  await eventually(async () => Date.now() > Date.parse(memory.createdAt));
  return memory;
}

describe('recall_context', () => {
  it('returns memories in the spec priority order, newest first within a category, with a summary of at most 4 KB', async () => {
    // Written in an order unlike the expected one.
    const tasks = await store('private', 'tasks', 'tasks-1');
    const recentOld = await store('private', 'recent', 'recent-old');
    const publicDecision = await store('public', 'decisions', 'public-decision');
    const learning = await store('team', 'learnings', 'team-learning');
    const architecture = await store('team', 'architecture', 'team-architecture');
    const decision = await store('team', 'decisions', 'team-decision');
    const longterm = await store('private', 'longterm', 'private-longterm');
    const personalCore = await store('personal', 'core', 'personal-core');
    const personalLongterm = await store('personal', 'longterm', 'personal-longterm');
    const privateCore = await store('private', 'core', 'private-core');
    const recentNew = await store('private', 'recent', 'recent-new');

    const result = await recall(agent);
    expect(result.memories.map((memory) => memory.content.split(' ')[0])).toEqual([
      'private-core', 'personal-core',
      'personal-longterm', 'private-longterm',
      'team-decision', 'team-architecture', 'team-learning',
      'recent-new', 'recent-old',
      'tasks-1',
      'public-decision',
    ]);
    expect(result.memories.map((memory) => memory.id)).toEqual([privateCore, personalCore, personalLongterm, longterm, decision, architecture, learning, recentNew, recentOld, tasks, publicDecision].map((m) => m.id));
    expect(result.total).toBe(11);
    expect(result.counts).toEqual({ core: 2, longterm: 2, 'team-decisions': 1, 'team-architecture': 1, 'team-learnings': 1, recent: 2, tasks: 1, 'public-decisions': 1 });

    expect(Buffer.byteLength(result.summary, 'utf8')).toBe(result.summaryBytes);
    expect(result.summaryBytes).toBeLessThanOrEqual(4096);
    const headings = [...result.summary.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
    expect(headings).toEqual(['Core', 'Long-term', 'Team decisions', 'Team architecture', 'Team learnings', 'Recent', 'Tasks', 'Public decisions']);
    expect(result.summary.indexOf('recent-new')).toBeLessThan(result.summary.indexOf('recent-old'));
  });

  it('keeps the summary within the budget with many large memories and a smaller maxSummaryBytes', async () => {
    await Promise.all(Array.from({ length: 30 }, (_, i) => agent.call('remember', { content: `${'x'.repeat(32 * 1024 - 20)} big ${i}`, scope: 'team', category: 'learnings' })));
    const full = await recall(agent, { limit: 5 });
    expect(full.memories).toHaveLength(5);
    expect(full.total).toBeGreaterThanOrEqual(41);
    expect(full.summaryBytes).toBeLessThanOrEqual(4096);
    expect(Buffer.byteLength(full.summary, 'utf8')).toBeLessThanOrEqual(4096);
    expect(full.summary).toMatch(/more not shown/);
    const small = await recall(agent, { maxSummaryBytes: 600 });
    expect(Buffer.byteLength(small.summary, 'utf8')).toBeLessThanOrEqual(600);
    expect(small.summary.startsWith('# Memory context')).toBe(true);
  });

  it('narrows by scope, category and tag', async () => {
    const tagged = await remember(agent, { content: 'tagged longterm memory', category: 'longterm', tags: ['release', 'ci'] });
    const result = await recall(agent, { scopes: ['private'], categories: ['longterm'], tags: ['release'] });
    expect(result.memories.map((memory) => memory.id)).toEqual([tagged.id]);
  });
});

describe('search_memories', () => {
  it('ranks the relevant memory first among many', async () => {
    const topics = ['the build pipeline caches node modules between runs', 'work items are claimed by capability', 'the dashboard shows queue depth per capability',
      'agents send heartbeats every thirty seconds', 'channel history is read newest page first', 'the registry answers from a watch-driven index',
      'weft scales idle agents down after five minutes', 'shuttle writes a context file per subtask', 'the queue depth metric is a gauge', 'failed builds are retried once'];
    await Promise.all(Array.from({ length: 80 }, (_, i) => agent.call('remember', { content: `note ${i}: ${topics[i % topics.length]}`, scope: 'team', category: 'learnings' })));
    const target = await remember(agent, { content: 'The dead-letter queue keeps failed work items for seven days together with their error history.', scope: 'team', category: 'decisions', tags: ['dlq'] });
    const found = await agent.call<{ results: Array<{ memory: MemoryRecord; score: number }>; total: number }>('search_memories', { query: 'how long are failed work items kept in the dead letter queue' });
    expect(found.results[0]?.memory.id).toBe(target.id);
    expect(found.total).toBeGreaterThan(1);
    expect(found.results[0]!.score).toBeGreaterThan(found.results[1]!.score);

    const filtered = await agent.call<{ results: Array<{ memory: MemoryRecord }> }>('search_memories', { query: 'queue', categories: ['learnings'] });
    expect(filtered.results.length).toBeGreaterThan(0);
    expect(filtered.results.every((result) => result.memory.category === 'learnings')).toBe(true);
  });
});
