// End to end: two pattern processes writing at the same time lose no memory, and the core limit holds across them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { createNames } from '../../core/index.js';
import { sha256 } from '../../core/isolation/identity.js';
import { eventually, openBuckets, recall, removeHomes, startPattern, type PatternAgent } from './harness.js';

let nats: NatsServerHandle;
let first: PatternAgent;
let second: PatternAgent;
let buckets: Awaited<ReturnType<typeof openBuckets>>;

beforeAll(async () => {
  nats = await startNatsServer();
  // The same principal in two projects, with a small core limit so racing past it is cheap.
  const env = { PATTERN_PERSONAL_CORE_LIMIT: '5' };
  [first, second] = await Promise.all([
    startPattern(nats, { projectId: 'proj-c', principal: 'ada@laptop', env }),
    startPattern(nats, { projectId: 'proj-c', principal: 'ada@laptop', env }),
  ]);
  buckets = await openBuckets(nats);
});

afterAll(async () => {
  await buckets?.close();
  await Promise.all([first, second].map((agent) => agent?.close()));
  await nats?.stop();
  removeHomes();
});

describe('two pattern processes', () => {
  it('lose no memory when both write at once, and each sees all of them', async () => {
    const write = (agent: PatternAgent, label: string) =>
      Promise.all(Array.from({ length: 60 }, (_, i) => agent.call<{ memory: { id: string } }>('remember', { content: `${label} memory ${i}`, scope: 'team', category: i % 2 ? 'decisions' : 'learnings' })));
    const [fromFirst, fromSecond] = await Promise.all([write(first, 'first'), write(second, 'second')]);
    const expected = [...fromFirst, ...fromSecond].map((result) => result.memory.id).sort();
    expect(new Set(expected).size).toBe(120);

    const keys = await buckets.keys(createNames('proj-c').memoryBucket('team'));
    expect(keys.map((key) => key.split('.')[1]).sort()).toEqual(expected);
    for (const agent of [first, second]) {
      const ids = await eventually(async () => {
        const result = await recall(agent, { scopes: ['team'] });
        return result.total === 120 ? result.memories.map((memory) => memory.id).sort() : false;
      });
      expect(ids).toEqual(expected);
    }
  });

  it('hold the personal core limit when both add core memories at once', async () => {
    const attempts = await Promise.all(
      [first, second].flatMap((agent, n) => Array.from({ length: 5 }, (_, i) => agent.raw('core_memory', { content: `racing core fact ${n}-${i}` }))),
    );
    const stored = attempts.filter((result) => !result.isError);
    const refused = attempts.filter((result) => result.isError);
    expect(stored).toHaveLength(5);
    for (const result of refused) expect(result.content[0]?.text).toMatch(/^LOOM_ERR_LIMIT_REACHED/);
    const keys = await buckets.keys(createNames('proj-c').personalMemoryBucket(sha256('ada@laptop').slice(0, 16)));
    expect(keys.filter((key) => key.startsWith('core.'))).toHaveLength(5);
  });
});
