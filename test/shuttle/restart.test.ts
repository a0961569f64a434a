// A shuttle process killed with SIGKILL mid-orchestration: restarted, it resumes the stored orchestration and finishes it.
import { isAlive } from '../../core/testing/loom-process.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNames } from '../../core/index.js';
import type { McpSession } from '../../core/testing/mcp-client.js';
import { hex, startLoomAgent, startShuttleFabric, states, until, type AgentProcess, type Results, type ShuttleFabric } from './harness.js';
import { openKv } from '../../core/testing/kv.js';

let fabric: ShuttleFabric;
/** What the processes logged, for a failure's message. */
let logs = () => '';
let nc: NatsConnection;
const agents: AgentProcess[] = [];

beforeAll(async () => {
  fabric = await startShuttleFabric('shuttle-restart');
  nc = await connect({ servers: fabric.nats.url });
});

afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.stop()));
  await nc?.close();
  await fabric?.stop();
});

describe('shuttle restart', () => {
  it('resumes an orchestration after its shuttle process was SIGKILLed, and finishes it', async () => {
    const names = createNames(fabric.projectId);
    const workDir = fabric.workDir();
    const first = await fabric.shuttle(hex('c'), workDir);
    let second: McpSession | undefined;
    const plan = await first.call<{ orchestrationId: string; subtasks: Array<{ id: string; workId: string }> }>('assess_task', {
      task: 'Two parts, then a merge',
      subtasks: [
        { id: 'left', instructions: 'Do the left part', capability: 'work' },
        { id: 'right', instructions: 'Do the right part', capability: 'work' },
        { id: 'merge', instructions: 'Merge both parts', capability: 'work', dependsOn: ['left', 'right'] },
      ],
    });
    const id = plan.orchestrationId;
    const workIdOf = Object.fromEntries(plan.subtasks.map((s) => [s.id, s.workId]));
    expect((await first.call<{ offered: string[] }>('spawn_subagents', { orchestrationId: id })).offered).toEqual(['left', 'right']);

    process.kill(first.pid()!, 'SIGKILL');
    await until(() => !isAlive(first.pid()!), 'the shuttle process to be gone');

    // The first wave is done while no shuttle runs: the results exist only as work completions and events.
    const worker = startLoomAgent(fabric, hex('5'), 'work');
    agents.push(worker);
    logs = () => `\n--- first shuttle:\n${first.stderr()}\n--- second shuttle:\n${second?.stderr() ?? '(not started)'}\n--- loom agent:\n${worker.output()}\n--- ${fabric.nats.status()}`;
    const completions = await openKv(nc, names.completionsBucket);
    await until(async () => (await completions.get(workIdOf.left!))?.operation === 'PUT' && (await completions.get(workIdOf.right!))?.operation === 'PUT', () => `the first wave to be completed by the loom agent${logs()}`, 60_000);
    const stored = await (await openKv(nc, names.orchestrationsBucket)).get(id);
    const before = stored!.json<{ subtasks: Array<{ id: string; state: string }> }>();
    expect(before.subtasks.find((s) => s.id === 'merge')?.state).toBe('pending');

    // A new process on the same work directory picks the orchestration up, offers the merge, and collects it.
    second = await fabric.shuttle(hex('c'), workDir);
    const done = await until(async () => {
      const results = await second!.call<Results>('get_results', { orchestrationId: id });
      return results.complete ? results : undefined;
    }, () => `the resumed orchestration to collect every result${logs()}`, 60_000);
    expect(states(done)).toEqual({ left: 'completed', right: 'completed', merge: 'completed' });
    expect(done.subtasks.map((s) => s.result)).toEqual(['left', 'right', 'merge'].map((s) => `worked on ${s} of ${id}`));
    expect(done.subtasks.find((s) => s.id === 'merge')?.files).toEqual(['out/merge.txt']);
    expect(readFileSync(join(workDir, id, 'merge', 'context.md'), 'utf8')).toMatch(/worked on left[\s\S]*worked on right/);

    const synthesis = await second!.call<{ phase: string; conflicts: unknown[] }>('synthesize_results', { orchestrationId: id });
    expect(synthesis).toEqual(expect.objectContaining({ phase: 'complete', conflicts: [] }));

    // Neither the dead process nor the resumed one handed a subtask out twice: one claim and one completion each.
    const jsm = await jetstreamManager(nc);
    const { state } = await jsm.streams.info(names.eventsStream);
    const handedOut: Record<string, string[]> = {};
    for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
      const message = await jsm.streams.getMessage(names.eventsStream, { seq }).catch(() => null);
      const event = message?.json<{ type: string; workId: string }>();
      if (event && (event.type === 'claimed' || event.type === 'completed')) (handedOut[event.workId] ??= []).push(event.type);
    }
    expect(handedOut).toEqual(Object.fromEntries(Object.values(workIdOf).map((workId) => [workId, ['claimed', 'completed']])));
  }, 180_000);
});
