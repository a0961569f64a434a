// The demo from start to finish: fabric, target, work items, orchestration, watching weft spin agents up, cleanup.
import { mkdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LoomError, natsService, spinUpService, type Logger, type SpinUpAttempt } from '../../core/index.js';
import { loominalHome } from '../../core/nats/embedded.js';
import { startDemoFabric } from './fabric.js';
import { DEMO_WORK, demoTarget } from './plan.js';
import type { Progress } from './progress.js';
import { startDemoShuttle, type DemoShuttle, type ShuttleView } from './shuttle.js';

export interface DemoReport {
  ok: boolean;
  projectId: string;
  nats: string;
  dashboardUrl: string;
  target: string;
  work: Array<{ workId: string; capability: string; description: string; state: string; result?: unknown; agentId?: string }>;
  orchestration: ShuttleView & { outcome: string; synthesis: string };
  spinUps: Array<Pick<SpinUpAttempt, 'operationId' | 'targetId' | 'outcome' | 'agentId' | 'workId' | 'durationMs' | 'stopReason'>>;
  /** Processes of the agents weft started (all gone once the demo returns). */
  agentPids: number[];
  cleanup: { agentsScaledDown: number; agentsStoppedByDemo: number; streamsDeleted: number };
  durationMs: number;
}

const FINAL = new Set(['completed', 'failed', 'cancelled']);
const short = (id: string | undefined) => (id ? id.slice(0, 8) : '?');

export async function runDemo(options: { cwd: string; env: Record<string, string | undefined>; log: Logger; progress: Progress; idleTimeoutMs: number; timeoutMs: number }): Promise<DemoReport> {
  const t0 = Date.now();
  const { progress, env } = options;
  progress.update('starting NATS and weft');
  const fabric = await startDemoFabric(options);
  const dir = join(loominalHome(env), 'demo', fabric.projectId);
  mkdirSync(dir, { recursive: true });
  const dashboardUrl = `${fabric.weft.url}/`;
  let shuttle: DemoShuttle | undefined;
  const pids = new Set<number>();
  try {
    progress.note(fabric.natsLine.replace(/\s+/g, ' '));
    progress.note(`weft on ${fabric.weft.url} for project ${fabric.projectId}; dashboard: ${dashboardUrl}`);
    const target = demoTarget({ cwd: dir, logDir: join(dir, 'logs') });
    await fabric.api.request('POST', '/api/targets', { body: target });
    progress.note(`target ${target.id}: local mechanism, up to ${target.maxConcurrent} \`loom agent\` workers for ${target.capabilities.join(', ')}`);
    const work: DemoReport['work'] = [];
    for (const item of DEMO_WORK) {
      const record = await fabric.api.request<{ workId: string }>('POST', '/api/work', { body: item });
      work.push({ workId: record.workId, ...item, state: 'pending' });
    }
    progress.note(`submitted ${work.length} work items; no agent is online, so weft spins some up`);
    const natsUrl = fabric.weft.kernel.use(natsService).url() ?? '';
    shuttle = await startDemoShuttle({ ...clean(env), NATS_URL: natsUrl, LOOMINAL_PROJECT_ID: fabric.projectId, SHUTTLE_WORK_DIR: join(dir, 'shuttle'), LOG_LEVEL: env.LOG_LEVEL ?? 'warn' }, dir);
    progress.note(`shuttle orchestration ${shuttle.orchestrationId}: headline, then measure it`);

    const seen = new Set<string>();
    const spinUps = fabric.weft.kernel.use(spinUpService);
    let view: ShuttleView & { complete: boolean };
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      for (const item of work) {
        if (FINAL.has(item.state)) continue;
        const record = await fabric.api.request<{ state: string; result?: unknown; agentId?: string }>('GET', `/api/work/${item.workId}`);
        Object.assign(item, { state: record.state, ...(record.result !== undefined ? { result: record.result } : {}), ...(record.agentId ? { agentId: record.agentId } : {}) });
        if (FINAL.has(item.state)) progress.note(`work ${short(item.workId)} ${item.state} by agent ${short(item.agentId)}: ${String(item.result ?? '').trim()}`);
      }
      view = await shuttle.results();
      for (const attempt of (await spinUps.listAttempts?.(fabric.projectId)) ?? []) {
        if (attempt.outcome !== 'started' || seen.has(attempt.operationId)) continue;
        seen.add(attempt.operationId);
        progress.note(`weft started agent ${short(attempt.agentId)} on ${attempt.targetId} (${attempt.durationMs} ms)`);
      }
      for (const agent of await fabric.spawned()) if (typeof agent.handle.pid === 'number') pids.add(agent.handle.pid);
      const done = work.filter((item) => FINAL.has(item.state)).length;
      const subtasksDone = view.subtasks.filter((s) => s.state === 'completed').length;
      progress.update(`work ${done}/${work.length} done · orchestration ${subtasksDone}/${view.subtasks.length} subtasks · ${seen.size} agent(s) started`);
      if (done === work.length && view.complete) break;
      if (Date.now() > deadline) throw new LoomError('LOOM_ERR_TIMEOUT', `the demo did not finish within ${options.timeoutMs} ms (work ${done}/${work.length}, subtasks ${subtasksDone}/${view.subtasks.length}); agent logs are in ${join(dir, 'logs')}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const synthesis = await shuttle.synthesize();
    progress.note(`orchestration ${synthesis.outcome}: synthesis written`);
    progress.update(`waiting for weft to scale the idle agents down (IDLE_TIMEOUT_MS=${options.idleTimeoutMs})`);
    await shuttle.close();
    shuttle = undefined;
    await fabric.scaledDown(options.idleTimeoutMs + 15_000);
    const attempts = (await spinUps.listAttempts?.(fabric.projectId)) ?? [];
    for (const attempt of attempts) if (attempt.stoppedAt) progress.note(`agent ${short(attempt.agentId)}: ${attempt.stopReason}`);
    const cleanup = await fabric.stop();
    const finalAttempts = attempts.map((a) => ({ operationId: a.operationId, targetId: a.targetId, outcome: a.outcome, agentId: a.agentId, workId: a.workId, durationMs: a.durationMs, stopReason: a.stopReason }));
    return {
      ok: work.every((item) => item.state === 'completed') && synthesis.outcome === 'complete',
      projectId: fabric.projectId,
      nats: fabric.natsLine.replace(/\s+/g, ' '),
      dashboardUrl,
      target: 'demo-local',
      work,
      orchestration: { ...view!, outcome: synthesis.outcome, synthesis: synthesis.document },
      spinUps: finalAttempts,
      agentPids: [...pids],
      cleanup: { agentsScaledDown: attempts.filter((a) => a.stopReason?.startsWith('idle past the idle timeout')).length, ...cleanup },
      durationMs: Date.now() - t0,
    };
  } catch (err) {
    await shuttle?.close().catch(() => undefined);
    await fabric.stop().catch((stopErr: unknown) => options.log.warn({ err: stopErr }, 'demo cleanup failed'));
    throw err;
  } finally {
    progress.stop();
    rmSync(dir, { recursive: true, force: true });
    // The demo/ folder itself goes too when no other demo is running.
    try {
      rmdirSync(join(loominalHome(env), 'demo'));
    } catch {
      // not empty, or already gone
    }
  }
}

/** The env without undefined values, for a child process. */
function clean(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
