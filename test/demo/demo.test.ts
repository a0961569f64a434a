// `loom demo --json` on a "fresh machine" (empty LOOMINAL_HOME, its own NATS port): weft spins up `loom agent` workers
// that do real work and a shuttle orchestration, scales them down when idle, and leaves nothing running or stored.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answers } from '../../core/nats/embedded.js';
import { createTempProject, freePort, type TempProject } from '../fixtures/temp-project.js';
import { isAlive, runLoom, type LoomRun } from '../cli/run-loom.js';

let project: TempProject;
let home: string;
let port: number;
let run: LoomRun;

beforeAll(async () => {
  port = await freePort();
  home = mkdtempSync(join(tmpdir(), 'loom-demo-home-'));
  // Keeps the demo off a NATS server the machine may run on 4222: the managed one it starts listens here.
  project = createTempProject({ 'loom.config.ts': `export default { nats: { port: ${port} } };\n` });
  run = await runLoom(['demo', '--json', '--idle-ms', '1500'], { cwd: project.dir, env: { LOOMINAL_HOME: home, LOOMINAL_HEARTBEAT_MS: '500' } });
}, 180_000);
afterAll(() => {
  project?.remove();
  rmSync(home, { recursive: true, force: true });
});

const report = () => JSON.parse(run.stdout.trim().split('\n').at(-1)!);

describe('loom demo', () => {
  it('exits 0 with a JSON report and nothing else on stdout', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(report().ok).toBe(true);
    expect(report().nats).toContain(`nats://127.0.0.1:${port} managed nats-server`);
  });

  it('completes every work item by running the worker command in agents weft spun up', () => {
    const { work, spinUps } = report();
    expect(work).toHaveLength(4);
    const started = spinUps.filter((a: { outcome: string }) => a.outcome === 'started').map((a: { agentId: string }) => a.agentId);
    for (const item of work) {
      expect(item.state).toBe('completed');
      expect(started).toContain(item.agentId);
      const words = item.description.split(/\s+/).length;
      expect(item.result).toBe(item.capability === 'demo-shout' ? `${item.description.toUpperCase()}\n` : `${words} words: ${item.description}\n`);
    }
  });

  it('runs the shuttle orchestration to completion, the second subtask after the first', () => {
    const { orchestration } = report();
    expect(orchestration.outcome).toBe('complete');
    expect(orchestration.subtasks.map((s: { id: string; state: string }) => [s.id, s.state])).toEqual([['headline', 'completed'], ['measure', 'completed']]);
    expect(orchestration.subtasks[0].result.trim()).toBe('LOOMINAL DEMO RELEASE NOTES');
    expect(orchestration.subtasks[1].result.trim()).toBe('8 words: count the words of the release notes headline');
    expect(orchestration.synthesis).toContain('LOOMINAL DEMO RELEASE NOTES');
  });

  it('starts at most maxConcurrent agents, and weft scales every one of them down when idle', () => {
    const { spinUps, cleanup, agentPids } = report();
    const started = spinUps.filter((a: { outcome: string }) => a.outcome === 'started');
    expect(started.length).toBeGreaterThanOrEqual(1);
    expect(started.length).toBeLessThanOrEqual(2);
    for (const attempt of started) expect(attempt.stopReason).toBe('idle past the idle timeout; shut down on request; torn down by local');
    expect(cleanup).toMatchObject({ agentsScaledDown: started.length, agentsStoppedByDemo: 0 });
    expect(agentPids.length).toBe(started.length);
    for (const pid of agentPids) expect(isAlive(pid)).toBe(false);
  });

  it('leaves nothing behind: the NATS server it started is gone, and so are the demo files', async () => {
    expect(report().cleanup.streamsDeleted).toBeGreaterThan(5);
    expect(await answers(`nats://127.0.0.1:${port}`, 500)).toBe(false);
    expect(existsSync(join(home, 'demo'))).toBe(false);
    expect(readdirSync(home).sort()).toEqual(['nats']);
  });
});
