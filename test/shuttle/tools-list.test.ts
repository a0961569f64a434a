// The exact shuttle tool list of SPEC §7 over stdio: a missing, renamed or extra tool, or one without the metadata a
// client shows (title, description, output schema, annotations), fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hex, startShuttleFabric, type ShuttleFabric } from './harness.js';

const SHUTTLE_TOOLS = ['assess_task', 'spawn_subagents', 'checkpoint_progress', 'list_orchestrations', 'get_results', 'submit_result', 'synthesize_results'];

let fabric: ShuttleFabric;

beforeAll(async () => {
  fabric = await startShuttleFabric('tools-list');
});

afterAll(async () => {
  await fabric?.stop();
});

describe('loom shuttle tools/list', () => {
  it('lists exactly the seven tools of the spec, each with a title, a description, object schemas and annotations', async () => {
    const shuttle = await fabric.shuttle(hex('7'), fabric.workDir());
    const { tools } = await shuttle.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...SHUTTLE_TOOLS].sort());
    for (const tool of tools) {
      expect(tool.title, tool.name).toBeTruthy();
      expect(tool.description!.length, tool.name).toBeGreaterThan(40);
      expect(tool.inputSchema.type, tool.name).toBe('object');
      expect(tool.outputSchema?.type, tool.name).toBe('object');
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) expect(typeof tool.annotations?.[hint], `${tool.name} ${hint}`).toBe('boolean');
    }
    // Reading progress and results changes nothing; everything else plans, offers, stores or synthesizes.
    expect(tools.filter((tool) => tool.annotations?.readOnlyHint).map((tool) => tool.name).sort()).toEqual(['get_results', 'list_orchestrations']);
  });
});
