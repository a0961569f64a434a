// recall_context and search_memories over MCP with 10,000 team memories, against reading the bucket raw.
import { core } from '../lib/layer.js';
import { freshProject, hexId } from '../lib/fabric.js';
import { pidProbe } from '../lib/probe.js';
import { fillBucket, readAll } from '../lib/raw-kv.js';
import { lanes } from '../lib/rounds.js';
import { row, type Row, type Scenario } from '../lib/scenario.js';

const WORDS = (
  'nats stream consumer lease claim offer queue priority band capability agent worker registry heartbeat channel message inbox ' +
  'memory recall search index summary scope team private public personal decision architecture learning parser lexer build test ' +
  'deploy rollback migration schema config plugin kernel hook storage bucket watch ttl expiry cursor page sequence retry backoff ' +
  'timeout deadline failure error history dead letter coordinator routing classifier boundary spinup target ssh kubernetes webhook'
).split(' ');
const CATEGORIES = ['decisions', 'architecture', 'learnings'] as const;
const TARGETS = [{ metric: 'ours.p95Ms', max: 20 }];

function sentence(seed: number, words: number): string {
  let x = seed * 2654435761;
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out.push(WORDS[x % WORDS.length]!);
  }
  return `${out.join(' ')}.`;
}

export const scenario: Scenario = {
  name: 'memory-recall',
  title: 'recall_context and search_memories with 10,000 memories',
  async run({ fabric, size, rounds, compare, log }) {
    const projectId = freshProject('mem');
    const count = size(10_000, 500);
    const agentId = hexId();
    const base = Date.now() - count * 1000;
    const entries: Array<[string, unknown]> = Array.from({ length: count }, (_, i) => {
      const id = hexId();
      const category = CATEGORIES[i % 3]!;
      const at = new Date(base + i * 1000).toISOString();
      return [`${category}.${id}`, { id, agentId, principal: 'bench@bench', projectId, scope: 'team', category, content: sentence(i, 24), tags: [WORDS[i % WORDS.length]!], priority: 1 + (i % 3), createdAt: at, updatedAt: at }];
    });
    const raw = await fabric.raw();
    const t0 = performance.now();
    const kv = await fillBucket(raw, core.createNames(projectId).memoryBucket('team'), entries);
    log(`${count} memories written in ${Math.round(performance.now() - t0)} ms`);

    const t1 = performance.now();
    const session = await fabric.mcp('pattern', fabric.env(projectId, agentId));
    const started = performance.now() - t1;
    const probe = pidProbe(session.pid()!);
    const t2 = performance.now();
    const first = await session.call<{ total: number }>('recall_context', {});
    const firstMs = performance.now() - t2;
    if (first.total < count) throw new Error(`recall_context saw ${first.total} of ${count} memories`);

    const ops = size(200, 15);
    const rawOps = Math.max(2, Math.round(ops / 50));
    const rows: Row[] = [];
    const recall = await compare({
      ours: { probe, run: () => lanes(ops, 1, () => session.call('recall_context', {})) },
      raw: {
        run: () =>
          lanes(rawOps, 1, async () => {
            const all = (await readAll(kv)).map((entry) => entry.json<{ createdAt: string; category: string }>());
            all.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
            return all.slice(0, 20);
          }),
      },
    });
    rows.push(
      row(
        {
          scenario: this.name,
          operation: `recall_context (${count} memories, MCP)`,
          concurrency: 1,
          rounds,
          rawDoes: 'read the whole bucket (one KV watcher) and sort: a client without an index',
          extra: { startToInitializeMs: Math.round(started), firstRecallAfterStartMs: Math.round(firstMs), patternRssMb: Math.round(probe.rssBytes() / 1048576) },
          notes: ['firstRecallAfterStartMs: the first recall_context after `loom pattern` answered initialize; it waits for the index to load every memory'],
        },
        recall,
        TARGETS,
      ),
    );
    let query = 0;
    const search = await compare({
      ours: { probe, run: () => lanes(ops, 1, () => session.call('search_memories', { query: WORDS[query++ % WORDS.length]! })) },
      raw: {
        run: () =>
          lanes(rawOps, 1, async () => {
            const word = WORDS[query++ % WORDS.length]!;
            return (await readAll(kv)).map((entry) => entry.json<{ content: string }>()).filter((memory) => memory.content.includes(word)).slice(0, 10);
          }),
      },
    });
    rows.push(row({ scenario: this.name, operation: `search_memories (${count} memories, MCP)`, concurrency: 1, rounds, rawDoes: 'read the whole bucket and filter by substring (no ranking)' }, search, TARGETS));
    await session.close();
    return rows;
  },
};
