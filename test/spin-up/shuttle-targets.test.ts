// Shuttle's spin-up asks weft for the target weft itself would pick: capability, then the agent types and boundary
// its classifiers decide (preferred first). weft is stood in for by NATS responders, so the request is what is checked.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNames } from '../../core/index.js';
import type { McpSession } from '../../core/testing/mcp-client.js';
import { hex, startShuttleFabric, until, type Results, type ShuttleFabric, type SubtaskView } from '../shuttle/harness.js';

// Loaded by the shuttle process from its cwd; the classifier file is in the repo, where 'loominal' resolves.
const CONFIG = `import { secretsClassifier } from ${JSON.stringify(fileURLToPath(new URL('./secrets-classifier.ts', import.meta.url)))};
export default { plugins: [secretsClassifier] };
`;

let fabric: ShuttleFabric;
let shuttle: McpSession;
let nc: NatsConnection;
const requests: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  fabric = await startShuttleFabric('spin-shuttle-targets');
  writeFileSync(join(fabric.cwd, 'loom.config.ts'), CONFIG);
  nc = await connect({ servers: fabric.nats.url });
  const names = createNames(fabric.projectId);
  const target = (id: string, agentType: string, boundaries: string[]) => ({ id, projectId: fabric.projectId, mechanism: 'local', agentType, capabilities: ['rare'], boundaries, enabled: true, maxConcurrent: 1, cooldownMs: 0, config: {}, createdAt: 'now', updatedAt: 'now' });
  // In id order, the first enabled target with the capability is the plain worker: the old choice for every subtask.
  const items = [target('a-worker', 'worker', []), target('b-copilot-personal', 'copilot-cli', ['personal']), target('c-copilot-corporate', 'copilot-cli', ['corporate'])];
  nc.subscribe(names.coordSubject('targets', 'list'), { callback: (_err, msg) => void msg.respond(JSON.stringify({ ok: true, data: { items } })) });
  nc.subscribe(names.coordSubject('targets', 'spin-up'), {
    callback: (_err, msg) => {
      const body = JSON.parse(msg.string()) as Record<string, unknown>;
      requests.push(body);
      msg.respond(JSON.stringify({ ok: true, data: { operationId: `op-${requests.length}`, projectId: fabric.projectId, targetId: body.id, outcome: 'started', at: new Date().toISOString() } }));
    },
  });
  await nc.flush();
  shuttle = await fabric.shuttle(hex('8'), fabric.workDir());
});

afterAll(async () => {
  await nc?.close();
  await fabric?.stop();
});

type Noted = SubtaskView & { spinUp?: { outcome: string; targetId?: string; detail?: string } };

async function spawnOne(instructions: string): Promise<{ id: string; workId: string }> {
  const plan = await shuttle.call<{ orchestrationId: string; subtasks: Array<{ workId: string }> }>('assess_task', { task: 'Needs rare work', subtasks: [{ id: 'job', instructions, capability: 'rare' }] });
  await shuttle.call('spawn_subagents', { orchestrationId: plan.orchestrationId });
  return { id: plan.orchestrationId, workId: plan.subtasks[0]!.workId };
}
const noteOf = async (id: string) => ((await shuttle.call<Results>('checkpoint_progress', { orchestrationId: id })).subtasks[0] as Noted).spinUp;

describe("shuttle's choice of spin-up target", () => {
  it('filters by the agent types and boundary its classifiers decide, not by capability alone', async () => {
    const { id, workId } = await spawnOne('Rotate the secret keys');
    expect(await until(() => noteOf(id), 'the spin-up note')).toMatchObject({ outcome: 'started', targetId: 'c-copilot-corporate' });
    expect(requests.find((r) => r.workId === workId)).toMatchObject({ id: 'c-copilot-corporate' });
  });

  it('without a classifier opinion, any agent type may serve, and a target limited to boundaries is not used', async () => {
    const { id, workId } = await spawnOne('Tidy the changelog');
    expect(await until(() => noteOf(id), 'the spin-up note')).toMatchObject({ outcome: 'started', targetId: 'a-worker' });
    expect(requests.find((r) => r.workId === workId)).toMatchObject({ id: 'a-worker' });
  });
});
