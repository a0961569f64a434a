// "No online agent has the capability": shuttle asks weft over its NATS API (coord.<p>.targets.*) to spin one up.
// weft itself is stood in for by a NATS responder here, so the request shuttle sends is what is checked.
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNames } from '../../core/index.js';
import type { McpSession } from '../../core/testing/mcp-client.js';
import { hex, startShuttleFabric, until, type Results, type ShuttleFabric, type SubtaskView } from './harness.js';

let fabric: ShuttleFabric;
let shuttle: McpSession;
let nc: NatsConnection;

beforeAll(async () => {
  fabric = await startShuttleFabric('shuttle-spin-up');
  shuttle = await fabric.shuttle(hex('8'), fabric.workDir());
  nc = await connect({ servers: fabric.nats.url });
});

afterAll(async () => {
  await nc?.close();
  await fabric?.stop();
});

type Noted = SubtaskView & { spinUp?: { outcome: string; targetId?: string; detail?: string } };

async function spawnOne(capability: string): Promise<{ id: string; workId: string }> {
  const plan = await shuttle.call<{ orchestrationId: string; subtasks: Array<{ workId: string }> }>('assess_task', { task: `Needs ${capability}`, subtasks: [{ id: 'job', instructions: 'Do it', capability }] });
  await shuttle.call('spawn_subagents', { orchestrationId: plan.orchestrationId });
  return { id: plan.orchestrationId, workId: plan.subtasks[0]!.workId };
}

const noteOf = async (id: string) => ((await shuttle.call<Results>('checkpoint_progress', { orchestrationId: id })).subtasks[0] as Noted).spinUp;

describe('spin-up through weft', () => {
  it('notes that weft is not running when nobody answers on its NATS API', async () => {
    const { id } = await spawnOne('rare');
    const note = await until(() => noteOf(id), 'the spin-up note');
    expect(note).toMatchObject({ outcome: 'weft-not-running', detail: expect.stringMatching(/no online agent has capability rare/) });
  });

  it('asks weft to spin up an enabled target with the capability, and notes the outcome', async () => {
    const names = createNames(fabric.projectId);
    const requests: Array<Record<string, unknown>> = [];
    const target = { id: 'gpu-box', projectId: fabric.projectId, mechanism: 'local', agentType: 'worker', capabilities: ['rare'], boundaries: [], enabled: true, maxConcurrent: 1, cooldownMs: 0, config: {}, createdAt: 'now', updatedAt: 'now' };
    nc.subscribe(names.coordSubject('targets', 'list'), {
      callback: (_err, msg) => {
        msg.respond(JSON.stringify({ ok: true, data: { items: [{ ...target, id: 'off', enabled: false }, { ...target, id: 'other', capabilities: ['x'] }, target] } }));
      },
    });
    nc.subscribe(names.coordSubject('targets', 'spin-up'), {
      callback: (_err, msg) => {
        requests.push(JSON.parse(msg.string()) as Record<string, unknown>);
        msg.respond(JSON.stringify({ ok: true, data: { operationId: 'op-1', projectId: fabric.projectId, targetId: 'gpu-box', outcome: 'started', at: new Date().toISOString() } }));
      },
    });
    await nc.flush();
    const { id, workId } = await spawnOne('rare');
    const note = await until(() => noteOf(id), 'the spin-up note');
    expect(note).toMatchObject({ outcome: 'started', targetId: 'gpu-box' });
    expect(requests).toEqual([{ id: 'gpu-box', workId, reason: expect.stringMatching(/needs capability rare/) }]);

    // An online agent with the capability: nothing is asked of weft.
    const warp = (await fabric.subagent(hex('2'), ['common'])).session;
    const common = await spawnOne('common');
    const claimed = await until(async () => (await warp.call<{ work: { workId: string } | null }>('claim_work', { capability: 'common', timeout: 2000 })).work, 'the common item');
    expect(claimed.workId).toBe(common.workId);
    await warp.call('complete_work', { workId: claimed.workId, result: 'done' });
    const results = await until(async () => {
      const r = await shuttle.call<Results>('get_results', { orchestrationId: common.id });
      return r.complete ? r : undefined;
    }, 'the common result');
    expect((results.subtasks[0] as Noted).spinUp).toBeUndefined();
    expect(requests).toHaveLength(1);
  });
});
