// discover_agents over MCP with 10,000 registered agents (answered from warp's watch-fed index) against a raw bucket read.
import { core, registryServicePlugin } from '../lib/layer.js';
import { freshProject, hexId } from '../lib/fabric.js';
import { pidProbe } from '../lib/probe.js';
import { fillBucket, readAll } from '../lib/raw-kv.js';
import { lanes } from '../lib/rounds.js';
import { row, type Scenario } from '../lib/scenario.js';

const CAPABILITIES = Array.from({ length: 20 }, (_, i) => `cap-${i}`);
const DAY = 24 * 60 * 60 * 1000;
/** discover_agents' default page. */
const PAGE = 20;

export const scenario: Scenario = {
  name: 'discover-agents',
  title: 'discover_agents with 10,000 registered agents',
  async run({ fabric, size, rounds, compare, log }) {
    const projectId = freshProject('disc');
    const agents = size(10_000, 500);
    const now = new Date().toISOString();
    const entries: Array<[string, unknown]> = Array.from({ length: agents }, (_, i) => {
      const id = hexId();
      return [id, { id, handle: `agent-${i}`, agentType: i % 3 ? 'claude-code' : 'copilot', capabilities: [CAPABILITIES[i % 20]!, CAPABILITIES[(i * 7) % 20]!], hostname: `host-${i % 50}`, projectId, principal: 'bench@bench', scope: 'team', status: 'online', currentTaskCount: 0, registeredAt: now, lastSeen: now, heartbeatMs: DAY }];
    });
    const raw = await fabric.raw();
    const t0 = performance.now();
    const kv = await fillBucket(raw, core.createNames(projectId).registryBucket, entries, 256, DAY);
    log(`${agents} agents written in ${Math.round(performance.now() - t0)} ms`);

    const session = await fabric.mcp('warp', fabric.env(projectId, hexId()));
    const probe = pidProbe(session.pid()!);
    const t1 = performance.now();
    const first = await session.call<{ total: number }>('discover_agents', { capability: 'cap-3' });
    const firstMs = performance.now() - t1;
    if (first.total === 0) throw new Error('discover_agents found none of the registered agents');

    const ops = size(300, 20);
    const result = await compare({
      ours: { probe, run: () => lanes(ops, 1, () => session.call('discover_agents', { capability: 'cap-3' })) },
      raw: {
        run: () =>
          lanes(Math.max(2, Math.round(ops / 50)), 1, async () => {
            const found = (await readAll(kv)).map((entry) => entry.json<{ capabilities: string[]; lastSeen: string }>()).filter((agent) => agent.capabilities.includes('cap-3'));
            found.sort((a, b) => (a.lastSeen < b.lastSeen ? 1 : -1));
            return found.slice(0, PAGE);
          }),
      },
    });
    // The largest page as it was the default until 2026-12-07: its answer's size, not the index, sets its time.
    const wide = await compare({ ours: { probe, run: () => lanes(ops, 1, () => session.call('discover_agents', { capability: 'cap-3', limit: 100 })) } });
    const rssMb = Math.round(probe.rssBytes() / 1048576);
    await session.close();

    // The same question asked of the registry service in this process: the index alone, without MCP and stdio.
    const kernel = await fabric.kernel([registryServicePlugin], { projectId });
    const registry = kernel.use(core.registryService).forProject(projectId);
    const viewer = { agentId: kernel.identity.agentId, principal: 'bench@bench', projectId };
    await registry.discover({ capability: 'cap-3' });
    const service = await compare({ ours: { run: () => lanes(ops, 1, () => registry.discoverPage({ capability: 'cap-3', visibleTo: viewer }, PAGE)) } });
    await kernel.stop();
    return [
      row(
        { scenario: this.name, operation: `registry.discoverPage by capability (${agents} agents, in process)`, concurrency: 1, rounds, notes: [`the page discover_agents answers by default (first ${PAGE} in order, and the total) from the index alone: its cost before MCP validates and stdio carries the answer`] },
        service,
      ),
      row(
        {
          scenario: this.name,
          operation: `discover_agents by capability (${agents} agents, MCP)`,
          concurrency: 1,
          rounds,
          rawDoes: 'read every entry of the registry bucket (one KV watcher) and filter: a client without an index',
          extra: { firstCallAfterStartMs: Math.round(firstMs), matching: first.total, warpRssMb: rssMb },
          notes: [`the default page (${PAGE} entries, and the total)`, 'firstCallAfterStartMs: the first discover_agents after `loom warp` started, which waits for the index to load every entry'],
        },
        result,
        [{ metric: 'ours.p95Ms', max: 2 }],
      ),
      row({ scenario: this.name, operation: `discover_agents, limit 100 (${agents} agents, MCP)`, concurrency: 1, rounds, notes: ['the largest page asked for explicitly (the default until 2026-12-07): ~75 KB of JSON per answer'] }, wide),
    ];
  },
};
