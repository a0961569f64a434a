// The exact shuttle tool list of SPEC §7 over stdio: a missing, renamed or extra tool, or one without the metadata a
// client shows (title, description, output schema, annotations), fails here.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectToolList } from '../fixtures/tool-list.js';
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
    // Reading progress and results changes nothing; everything else plans, offers, stores or synthesizes.
    expectToolList(tools, { names: SHUTTLE_TOOLS, readOnly: ['get_results', 'list_orchestrations'] });
  });
});
