// Missing capabilities are filled by the loaded classifier plugins (here one from a user's loom.config.ts), else the default.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnMcpServer, type McpSession } from '../../core/testing/mcp-client.js';
import { createTempProject, type TempProject } from '../fixtures/temp-project.js';
import { FAST_ENV, hex, startShuttleFabric, type ShuttleFabric } from './harness.js';

let fabric: ShuttleFabric;
let project: TempProject;
let shuttle: McpSession;

const CONFIG = `import { defineClassifier } from 'loominal';
const docsCapability = defineClassifier({
  name: 'classifier:docs-capability',
  create: () => (work) => (/readme|docs/i.test(work.description) ? { capability: 'docs', reason: 'documentation work' } : undefined),
});
export default { plugins: [docsCapability] };
`;

beforeAll(async () => {
  fabric = await startShuttleFabric('shuttle-classifiers');
  project = createTempProject({ 'package.json': '{}', 'loom.config.ts': CONFIG }, { linkLoominal: true });
  shuttle = await spawnMcpServer({ args: ['shuttle'], cwd: project.dir, env: { NATS_URL: fabric.nats.url, LOOMINAL_PROJECT_ID: fabric.projectId, LOOMINAL_AGENT_ID: hex('a'), SHUTTLE_WORK_DIR: fabric.workDir(), ...FAST_ENV } });
});

afterAll(async () => {
  await shuttle?.close();
  project?.remove();
  await fabric?.stop();
});

describe('capabilities', () => {
  it('fills a missing capability from the first classifier that proposes one, keeps the plan\'s, and defaults to general', async () => {
    const plan = await shuttle.call<{ subtasks: Array<{ id: string; capability: string; capabilitySource: string }> }>('assess_task', {
      task: 'Ship it',
      subtasks: [
        { id: 'readme', instructions: 'Update the README' },
        { id: 'bug', instructions: 'Fix the crash on start' },
        { id: 'deploy', instructions: 'Deploy the docs site', capability: 'ops' },
      ],
    });
    expect(plan.subtasks.map((s) => [s.id, s.capability, s.capabilitySource])).toEqual([
      ['readme', 'docs', 'classifier:docs-capability'],
      ['bug', 'general', 'default'],
      ['deploy', 'ops', 'plan'],
    ]);
  });
});
