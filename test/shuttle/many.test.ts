// A bounded load test: 100 two-wave orchestrations (a, then b once a has its result) at once through one `loom shuttle`
// and two `loom agent` workers all complete, each with its own results in plan order: wave advance under load
// (correctness only; nothing about speed is asserted).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpSession } from '../../core/testing/mcp-client.js';
import { hex, startLoomAgent, startShuttleFabric, until, type AgentProcess, type ShuttleFabric } from './harness.js';

const COUNT = 100;
let fabric: ShuttleFabric;
let shuttle: McpSession;
const agents: AgentProcess[] = [];

beforeAll(async () => {
  fabric = await startShuttleFabric('shuttle-many');
  shuttle = await fabric.shuttle(hex('9'), fabric.workDir());
});

afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.stop()));
  await fabric?.stop();
});

async function inBatches<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

describe('many orchestrations', () => {
  it('completes 100 concurrent two-wave orchestrations, each with its own results in order', { timeout: 400_000 }, async () => {
    const indexes = Array.from({ length: COUNT }, (_, i) => i);
    const ids = await Promise.all(
      indexes.map(async (i) => {
        const plan = await shuttle.call<{ orchestrationId: string; waves: string[][] }>('assess_task', {
          task: `Job ${i}`,
          subtasks: [
            { id: 'a', instructions: `Start job ${i}`, capability: 'bulk' },
            { id: 'b', instructions: `Finish job ${i} from a's result`, capability: 'bulk', dependsOn: ['a'] },
          ],
        });
        expect(plan.waves).toEqual([['a'], ['b']]);
        return plan.orchestrationId;
      }),
    );
    expect(new Set(ids).size).toBe(COUNT);
    const spawned = await Promise.all(ids.map((id) => shuttle.call<{ offered: string[] }>('spawn_subagents', { orchestrationId: id })));
    // Only wave 1 is offered: every b below was offered by shuttle itself once its a had a result.
    expect(spawned.every((s) => s.offered.length === 1 && s.offered[0] === 'a')).toBe(true);

    agents.push(startLoomAgent(fabric, hex('3'), 'bulk', undefined), startLoomAgent(fabric, hex('4'), 'bulk', undefined));

    await until(async () => {
      const listed = await shuttle.call<{ orchestrations: Array<{ orchestrationId: string }> }>('list_orchestrations', { phase: 'collection', limit: 500 });
      return listed.orchestrations.length === COUNT;
    }, `all ${COUNT} orchestrations to collect both results`, 300_000);

    const syntheses = await inBatches(ids, 10, (id) => shuttle.call<{ phase: string; document: string; conflicts: unknown[] }>('synthesize_results', { orchestrationId: id }));
    syntheses.forEach((synthesis, i) => {
      expect(synthesis.phase).toBe('complete');
      expect(synthesis.conflicts).toEqual([]);
      // Exactly its own two results, a before b (plan order), and none of another orchestration's.
      expect(synthesis.document.match(/worked on [ab] of o[0-9a-f]{16}/g)).toEqual([`worked on a of ${ids[i]}`, `worked on b of ${ids[i]}`]);
    });
    const complete = await shuttle.call<{ orchestrations: unknown[] }>('list_orchestrations', { phase: 'complete', limit: 500 });
    expect(complete.orchestrations).toHaveLength(COUNT);
  });
});
