// The NATS API with a plain NATS client: the same operations as REST on coord.<p>.<area>.<verb> and coord.global.*.
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, startFabric, waitFor, type Fabric, type WeftProcess } from './harness.js';

let fabric: Fabric;
let weft: WeftProcess;
let nc: NatsConnection;

beforeAll(async () => {
  fabric = await startFabric('weft-nats');
  weft = await fabric.startWeft();
  nc = await connect({ servers: fabric.nats.url });
});
afterAll(async () => {
  await nc?.close();
  await fabric?.stop();
});

async function request(subject: string, payload?: unknown): Promise<{ ok: boolean; data?: any; error?: { code: string; message: string } }> {
  const msg = await nc.request(subject, payload === undefined ? '' : JSON.stringify(payload), { timeout: 10_000 });
  return JSON.parse(msg.string());
}

describe('weft NATS API', () => {
  it('submits, reads and cancels work and lists projects over request/reply', async () => {
    const submitted = await request('coord.proj-n1.work.submit', { description: 'over nats', capability: 'nats-only', priority: 7 });
    expect(submitted.ok).toBe(true);
    expect(submitted.data).toMatchObject({ projectId: 'proj-n1', state: 'pending', priority: 7, capability: 'nats-only' });
    const got = await request('coord.proj-n1.work.get', { id: submitted.data.workId });
    expect(got.data.workId).toBe(submitted.data.workId);
    // The REST API sees the same item: one state, two doors.
    expect((await http(weft.url, 'GET', `/api/work/${submitted.data.workId}?projectId=proj-n1`)).body.state).toBe('pending');
    const list = await request('coord.proj-n1.work.list', { state: 'pending' });
    expect(list.data.items.map((w: { workId: string }) => w.workId)).toContain(submitted.data.workId);
    const stats = await request('coord.proj-n1.stats.get');
    expect(stats.data).toMatchObject({ projectId: 'proj-n1', work: { pending: 1 }, queueDepth: { 'nats-only': 1 } });
    const cancelled = await request('coord.proj-n1.work.cancel', { id: submitted.data.workId, reason: 'done with it' });
    expect(cancelled.data.state).toBe('cancelled');
    const projects = await request('coord.global.projects');
    expect(projects.data.projects.map((p: { projectId: string }) => p.projectId)).toEqual(expect.arrayContaining(['proj-n1', 'weft-nats']));
    const global = await request('coord.global.stats');
    expect(global.data).toMatchObject({ leader: true, instanceId: weft.instanceId });
    expect(global.data.work.cancelled).toBeGreaterThanOrEqual(1);
  });

  it('lists agents and asks one to shut down over NATS; the agent obeys', async () => {
    const agent = await fabric.startAgent({ capability: 'nats-agent', projectId: 'proj-n1' });
    const listed = await waitFor(async () => {
      const answer = await request('coord.proj-n1.agents.list', { capability: 'nats-agent' });
      return answer.data.items.find((a: { id: string }) => a.id === agent.agentId);
    }, 'the agent in the NATS API listing');
    expect(listed).toMatchObject({ status: 'online', capabilities: ['nats-agent'] });
    const shutdown = await request('coord.proj-n1.agents.shutdown', { id: agent.agentId, reason: 'test is over' });
    expect(shutdown).toMatchObject({ ok: true, data: { agentId: agent.agentId, sent: true } });
    await waitFor(() => agent.child.exitCode !== null, 'the agent process to exit after the shutdown request');
  });

  it('lists the orchestrations shuttle keeps in KV, over REST and NATS alike', async () => {
    const kv = await new Kvm(nc).create('shuttle-proj-n1-orchestrations', { history: 1, ttl: 24 * 60 * 60 * 1000 });
    await kv.put('orch-1', JSON.stringify({ orchestrationId: 'orch-1', phase: 'execution', createdAt: new Date().toISOString() }));
    const overNats = await request('coord.proj-n1.orchestrations.list', {});
    expect(overNats.data.items).toEqual([expect.objectContaining({ orchestrationId: 'orch-1', phase: 'execution' })]);
    const overRest = await http(weft.url, 'GET', '/api/orchestrations?projectId=proj-n1');
    expect(overRest.body.items.map((o: { orchestrationId: string }) => o.orchestrationId)).toEqual(['orch-1']);
  });

  it('creates, reads, changes, spins up and deletes spin-up targets over coord.<p>.targets.*, the same store REST reads', async () => {
    const target = { id: 'nats-box', name: 'NATS box', mechanism: 'local', agentType: 'worker', capabilities: ['nats-build'], enabled: false, config: { command: ['true'] } };
    const created = await request('coord.proj-n2.targets.create', target);
    expect(created, JSON.stringify(created)).toMatchObject({ ok: true, data: { id: 'nats-box', mechanism: 'local', enabled: false, capabilities: ['nats-build'] } });
    expect(await request('coord.proj-n2.targets.create', target)).toMatchObject({ ok: false, error: { code: 'LOOM_ERR_CONFLICT' } });
    expect((await request('coord.proj-n2.targets.get', { id: 'nats-box' })).data).toMatchObject({ id: 'nats-box', name: 'NATS box' });
    expect((await request('coord.proj-n2.targets.list', {})).data.items.map((t: { id: string }) => t.id)).toEqual(['nats-box']);
    // The other project has none: the subject's project is the one acted on.
    expect((await request('coord.proj-n1.targets.list', {})).data.items).toEqual([]);

    const { id: _id, ...fields } = target;
    const updated = await request('coord.proj-n2.targets.update', { ...fields, id: 'nats-box', capabilities: ['nats-build', 'nats-test'], maxConcurrent: 2 });
    expect(updated, JSON.stringify(updated)).toMatchObject({ ok: true, data: { capabilities: ['nats-build', 'nats-test'], maxConcurrent: 2 } });
    expect((await http(weft.url, 'GET', '/api/targets/nats-box?projectId=proj-n2')).body).toMatchObject({ capabilities: ['nats-build', 'nats-test'], maxConcurrent: 2 });

    // A disabled target starts nothing: the attempt is recorded as skipped, not run.
    const spun = await request('coord.proj-n2.targets.spin-up', { id: 'nats-box', reason: 'over nats' });
    expect(spun, JSON.stringify(spun)).toMatchObject({ ok: true, data: { targetId: 'nats-box', outcome: 'no-target' } });
    expect(await request('coord.proj-n2.targets.get', { id: 'ghost' })).toMatchObject({ ok: false, error: { code: 'LOOM_ERR_NOT_FOUND' } });
    const badMechanism = await request('coord.proj-n2.targets.create', { ...target, id: 'quantum', mechanism: 'quantum' });
    expect(badMechanism).toMatchObject({ ok: false, error: { code: 'LOOM_ERR_INVALID_INPUT', details: { field: 'mechanism' } } });

    expect(await request('coord.proj-n2.targets.delete', { id: 'nats-box' })).toMatchObject({ ok: true, data: { deleted: 'nats-box' } });
    expect(await request('coord.proj-n2.targets.get', { id: 'nats-box' })).toMatchObject({ ok: false, error: { code: 'LOOM_ERR_NOT_FOUND' } });
    expect((await http(weft.url, 'GET', '/api/targets?projectId=proj-n2')).body.items).toEqual([]);
  });

  it('lists, retries and discards dead letters over coord.<p>.dlq.*', async () => {
    const agent = await fabric.startAgent({ capability: 'nats-flaky', projectId: 'proj-n3' });
    const submitted = await request('coord.proj-n3.work.submit', { description: 'fail: always broken', capability: 'nats-flaky' });
    expect(submitted.ok).toBe(true);
    const { workId } = submitted.data;
    const letter = await waitFor(async () => (await request('coord.proj-n3.dlq.list', { capability: 'nats-flaky' })).data.items.find((d: { workId: string }) => d.workId === workId), 'the item in the dead-letter queue over NATS');
    expect(letter.errors.map((e: { error: string }) => e.error).join('\n')).toContain('always broken');
    expect((await request('coord.proj-n1.dlq.list', {})).data.items).toEqual([]);

    const retried = await request('coord.proj-n3.dlq.retry', { id: letter.deadLetterId, resetAttempts: true });
    expect(retried, JSON.stringify(retried)).toMatchObject({ ok: true, data: { workId } });
    const again = await waitFor(
      async () => (await request('coord.proj-n3.dlq.list', {})).data.items.find((d: { workId: string; deadLetterId: string }) => d.workId === workId && d.deadLetterId !== letter.deadLetterId),
      'the retried item to fail again',
    );
    expect((await request('coord.proj-n3.dlq.list', {})).data.items.map((d: { deadLetterId: string }) => d.deadLetterId)).not.toContain(letter.deadLetterId);
    expect(await request('coord.proj-n3.dlq.discard', { id: again.deadLetterId })).toMatchObject({ ok: true, data: { discarded: again.deadLetterId } });
    expect((await request('coord.proj-n3.dlq.list', {})).data.items).toEqual([]);
    expect(await request('coord.proj-n3.dlq.discard', { id: again.deadLetterId })).toMatchObject({ ok: false, error: { code: 'LOOM_ERR_NOT_FOUND' } });
    expect(await request('coord.proj-n3.dlq.retry', { id: 'not-a-number', resetAttempts: false })).toMatchObject({ ok: false });
    expect((await http(weft.url, 'GET', `/api/work/${workId}?projectId=proj-n3`)).body.state).toBe('failed');
    await agent.kill('SIGTERM');
  });

  it('answers bad requests with the error code and the field, never with a crash', async () => {
    const reserved = await request('coord.public.work.list', {});
    expect(reserved).toMatchObject({ ok: false, error: { code: 'LOOM_ERR_INVALID_INPUT' } });
    expect(reserved.error!.message).toMatch(/projectId: is reserved/);
    const badName = await request('coord.proj-n1.work.submit', { description: 'x', capability: 'a.b' });
    expect(badName).toMatchObject({ ok: false, error: { code: 'LOOM_ERR_INVALID_INPUT' } });
    expect(badName.error!.message).toMatch(/capability: must be a lowercase token/);
    const unknownField = await request('coord.proj-n1.work.submit', { description: 'x', capability: 'ok', nope: 1 });
    expect(unknownField.error!.message).toMatch(/nope: unknown key/);
    const mismatch = await request('coord.proj-n1.work.list', { projectId: 'proj-n2' });
    expect(mismatch.error!.message).toMatch(/projectId/);
    const notJson = await nc.request('coord.proj-n1.work.list', '{oops', { timeout: 10_000 });
    expect(JSON.parse(notJson.string())).toMatchObject({ ok: false, error: { code: 'LOOM_ERR_INVALID_INPUT' } });
    const badProject = await request('coord.Proj_X.work.list', {});
    expect(badProject).toMatchObject({ ok: false, error: { code: 'LOOM_ERR_INVALID_INPUT' } });
    expect(badProject.error!.message).toMatch(/projectId: must be a lowercase token/);
    const unknown = await request('coord.proj-n1.work.explode', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'LOOM_ERR_NOT_FOUND' } });
    expect((await request('coord.proj-n1.work.list', {})).ok).toBe(true);
  });
});
