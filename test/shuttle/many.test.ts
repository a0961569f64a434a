// A bounded load test: 100 orchestrations at once through one `loom shuttle` and two `loom agent` workers all complete,
// each with its own result (correctness only; nothing about speed is asserted).
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
  it('completes 100 concurrent orchestrations, each with its own result', { timeout: 300_000 }, async () => {
    const indexes = Array.from({ length: COUNT }, (_, i) => i);
    const ids = await Promise.all(
      indexes.map(async (i) => (await shuttle.call<{ orchestrationId: string }>('assess_task', { task: `Job ${i}`, subtasks: [{ id: 'only', instructions: `Do job ${i}`, capability: 'bulk' }] })).orchestrationId),
    );
    expect(new Set(ids).size).toBe(COUNT);
    const spawned = await Promise.all(ids.map((id) => shuttle.call<{ offered: string[] }>('spawn_subagents', { orchestrationId: id })));
    expect(spawned.every((s) => s.offered.length === 1)).toBe(true);

    agents.push(startLoomAgent(fabric, hex('3'), 'bulk', undefined), startLoomAgent(fabric, hex('4'), 'bulk', undefined));

    await until(async () => {
      const listed = await shuttle.call<{ orchestrations: Array<{ orchestrationId: string }> }>('list_orchestrations', { phase: 'collection', limit: 500 });
      return listed.orchestrations.length === COUNT;
    }, `all ${COUNT} orchestrations to collect their result`, 240_000);

    const syntheses = await inBatches(ids, 10, (id) => shuttle.call<{ phase: string; document: string; conflicts: unknown[] }>('synthesize_results', { orchestrationId: id }));
    syntheses.forEach((synthesis, i) => {
      expect(synthesis.phase).toBe('complete');
      expect(synthesis.conflicts).toEqual([]);
      expect(synthesis.document).toContain(`worked on only of ${ids[i]}`);
      // Exactly one result, and not another orchestration's.
      expect(synthesis.document.match(/worked on only of o[0-9a-f]{16}/g)).toEqual([`worked on only of ${ids[i]}`]);
    });
    const complete = await shuttle.call<{ orchestrations: unknown[] }>('list_orchestrations', { phase: 'complete', limit: 500 });
    expect(complete.orchestrations).toHaveLength(COUNT);
  });
});
