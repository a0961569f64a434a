// NATS unavailable: assess, spawn, checkpoint and get_results work from the work directory and say degraded; when NATS
// is back, the retry loop stores the orchestration in KV and the pending offers go out.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { spawnMcpServer, type McpSession } from '../../core/testing/mcp-client.js';
import { freePort } from '../fixtures/temp-project.js';
import { FAST_ENV, hex, startShuttleFabric, states, until, type Results, type ShuttleFabric } from './harness.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

interface Degraded {
  degraded: boolean;
  degradedReason?: string;
}

const PLAN = {
  task: 'Deploy, then verify',
  subtasks: [
    { id: 'deploy', instructions: 'Deploy the service', capability: 'ops' },
    { id: 'verify', instructions: 'Verify the deployment', capability: 'ops', dependsOn: ['deploy'] },
  ],
};

async function planWhileDown(shuttle: McpSession, workDir: string): Promise<string> {
  const assessed = await shuttle.call<{ orchestrationId: string; phase: string } & Degraded>('assess_task', PLAN);
  expect(assessed).toMatchObject({ phase: 'assessment', degraded: true, degradedReason: expect.stringMatching(/NATS|connect/i) });
  const id = assessed.orchestrationId;

  const spawned = await shuttle.call<{ phase: string; pendingOffers: string[]; offered: string[]; contextFiles: string[] } & Degraded>('spawn_subagents', { orchestrationId: id });
  expect(spawned).toMatchObject({ phase: 'spawning', offered: [], pendingOffers: ['deploy'], degraded: true });
  expect(spawned.contextFiles.every((file) => existsSync(file))).toBe(true);
  expect(readFileSync(join(workDir, id, 'deploy', 'context.md'), 'utf8')).toMatch(/Deploy the service/);

  const progress = await shuttle.call<Results & { checkpoint: { note: string } }>('checkpoint_progress', { orchestrationId: id, note: 'planned while NATS was down' });
  expect(progress).toMatchObject({ phase: 'spawning', degraded: true, checkpoint: { note: 'planned while NATS was down' } });
  expect(states(progress)).toEqual({ deploy: 'ready', verify: 'waiting' });
  expect(readFileSync(join(workDir, id, 'checkpoints.jsonl'), 'utf8')).toMatch(/planned while NATS was down/);

  const results = await shuttle.call<Results>('get_results', { orchestrationId: id });
  expect(results).toMatchObject({ phase: 'spawning', complete: false, degraded: true });
  const listed = await shuttle.call<{ orchestrations: Array<{ orchestrationId: string }> } & Degraded>('list_orchestrations', {});
  expect(listed.degraded).toBe(true);
  expect(listed.orchestrations.map((o) => o.orchestrationId)).toContain(id);
  return id;
}

async function finishWithWarp(fabricEnv: Record<string, string>, cwd: string, shuttle: McpSession, id: string, workDir: string): Promise<void> {
  const warp = await spawnMcpServer({ args: ['warp'], env: fabricEnv, cwd });
  cleanups.push(() => warp.close());
  await warp.call('register_agent', { agentType: 'tester', capabilities: ['ops'], scope: 'team' });
  const claim = async () => (await warp.call<{ work: { workId: string; contextData: Record<string, unknown> } | null }>('claim_work', { capability: 'ops', timeout: 2000 })).work;
  const deploy = await until(claim, 'the pending offer to go out once NATS is back', 60_000);
  expect(deploy.contextData).toMatchObject({ orchestrationId: id, subtaskId: 'deploy' });
  const back = await until(async () => {
    const r = await shuttle.call<Results>('get_results', { orchestrationId: id });
    return r.degraded ? undefined : r;
  }, 'get_results to answer from NATS again');
  expect(back.phase).toBe('execution');
  await warp.call('complete_work', { workId: deploy.workId, result: 'deployed v2' });
  const verify = await until(claim, 'the second subtask to be offered');
  expect(String(verify.contextData.context)).toMatch(/deployed v2/);
  await warp.call('complete_work', { workId: verify.workId, result: 'verified' });
  const done = await until(async () => {
    const r = await shuttle.call<Results>('get_results', { orchestrationId: id });
    return r.complete ? r : undefined;
  }, 'both results');
  expect(done.subtasks.map((s) => s.result)).toEqual(['deployed v2', 'verified']);
  const progress = await shuttle.call<{ degraded: boolean }>('checkpoint_progress', { orchestrationId: id, note: 'all done' });
  expect(progress.degraded).toBe(false);
  // The checkpoint written while degraded survived the merge into KV (orchestration.json is now the KV copy).
  const stored = JSON.parse(readFileSync(join(workDir, id, 'orchestration.json'), 'utf8')) as { checkpoints: Array<{ note?: string }> };
  expect(stored.checkpoints.map((c) => c.note)).toEqual(['planned while NATS was down', 'all done']);
}

describe('shuttle without NATS', () => {
  it('keeps working from the filesystem while NATS is down, and sends the pending offers when it returns', async () => {
    const fabric: ShuttleFabric = await startShuttleFabric('shuttle-degraded');
    cleanups.push(() => fabric.stop());
    const workDir = fabric.workDir();
    const shuttle = await fabric.shuttle(hex('d'), workDir);
    await until(async () => !(await shuttle.call<Degraded>('list_orchestrations', {})).degraded, 'the shuttle to reach NATS');

    await fabric.nats.kill();
    const id = await planWhileDown(shuttle, workDir);
    await fabric.nats.restart();
    await finishWithWarp({ NATS_URL: fabric.nats.url, LOOMINAL_PROJECT_ID: fabric.projectId, LOOMINAL_AGENT_ID: hex('6'), ...FAST_ENV }, fabric.cwd, shuttle, id, workDir);
  });

  it('starts without ever reaching NATS, and catches up once a server comes up', async () => {
    const fabric: ShuttleFabric = await startShuttleFabric('shuttle-never');
    cleanups.push(() => fabric.stop());
    const port = await freePort();
    const workDir = fabric.workDir();
    const url = `nats://127.0.0.1:${port}`;
    const shuttle = await fabric.shuttle(hex('e'), workDir, { NATS_URL: url });
    const id = await planWhileDown(shuttle, workDir);
    let late: NatsServerHandle | undefined;
    late = await startNatsServer({ port });
    cleanups.push(() => late!.stop());
    await finishWithWarp({ NATS_URL: url, LOOMINAL_PROJECT_ID: fabric.projectId, LOOMINAL_AGENT_ID: hex('7'), ...FAST_ENV }, fabric.cwd, shuttle, id, workDir);
  });

  it('takes a result submitted on the same machine while NATS is down through the shared work directory', async () => {
    const port = await freePort();
    const workDir = mkdtempSync(join(tmpdir(), 'loom-shuttle-offline-'));
    cleanups.push(async () => rmSync(workDir, { recursive: true, force: true }));
    const env = { NATS_URL: `nats://127.0.0.1:${port}`, LOOMINAL_PROJECT_ID: 'shuttle-offline', SHUTTLE_WORK_DIR: workDir, ...FAST_ENV };
    const planner = await spawnMcpServer({ args: ['shuttle'], env: { ...env, LOOMINAL_AGENT_ID: hex('1') } });
    const helper = await spawnMcpServer({ args: ['shuttle'], env: { ...env, LOOMINAL_AGENT_ID: hex('2') } });
    cleanups.push(() => planner.close(), () => helper.close());
    const id = await planWhileDown(planner, workDir);
    const submitted = await helper.call<{ accepted: boolean } & Degraded>('submit_result', { orchestrationId: id, subtaskId: 'deploy', result: 'deployed by hand', files: ['deploy.yaml'] });
    expect(submitted).toMatchObject({ accepted: true, degraded: true });
    const results = await planner.call<Results>('get_results', { orchestrationId: id });
    expect(results.degraded).toBe(true);
    expect(states(results)).toEqual({ deploy: 'completed', verify: 'ready' });
    expect(results.subtasks[0]).toMatchObject({ result: 'deployed by hand', files: ['deploy.yaml'] });
    expect(await helper.raw('submit_result', { orchestrationId: id, subtaskId: 'deploy', result: 'again' })).toMatchObject({ isError: true, content: [{ text: expect.stringMatching(/^LOOM_ERR_CONFLICT: subtask "deploy" .* already has a result/) }] });
  });
});
