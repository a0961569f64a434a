// A 2-wave orchestration end to end: a real `loom shuttle`, `loom warp` subagents, a second shuttle on "another machine".
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpSession } from '../../core/testing/mcp-client.js';
import { errorText, hex, readText, startShuttleFabric, states, until, type Results, type ShuttleFabric, type Subagent } from './harness.js';

let fabric: ShuttleFabric;
let planner: McpSession;
let remote: McpSession;
let worker: Subagent;
let plannerDir: string;
let remoteDir: string;

beforeAll(async () => {
  fabric = await startShuttleFabric('shuttle-flow');
  plannerDir = fabric.workDir();
  remoteDir = fabric.workDir();
  [planner, remote, worker] = await Promise.all([fabric.shuttle(hex('a'), plannerDir), fabric.shuttle(hex('b'), remoteDir), fabric.subagent(hex('1'), ['build'])]);
});

afterAll(async () => {
  await fabric?.stop();
});

interface Assessed {
  orchestrationId: string;
  phase: string;
  waves: string[][];
  subtasks: Array<{ id: string; capability: string; workId: string; wave: number }>;
  degraded: boolean;
}

const assess = (subtasks: unknown[], task = 'Build the thing') => planner.call<Assessed>('assess_task', { task, subtasks });

describe('shuttle orchestration over real processes', () => {
  it('offers a and b at once, c and d only after both results, and synthesizes all four in plan order', async () => {
    const plan = await assess([
      { id: 'a', title: 'Parser', instructions: 'Write the parser', capability: 'build' },
      { id: 'b', title: 'Lexer', instructions: 'Write the lexer', capability: 'build' },
      { id: 'c', title: 'Tests', instructions: 'Test parser and lexer', capability: 'build', dependsOn: ['a', 'b'] },
      { id: 'd', title: 'Docs', instructions: 'Document parser and lexer', capability: 'build', dependsOn: ['a', 'b'] },
    ]);
    expect(plan).toMatchObject({ phase: 'assessment', waves: [['a', 'b'], ['c', 'd']], degraded: false });
    const id = plan.orchestrationId;
    const workIdOf = Object.fromEntries(plan.subtasks.map((s) => [s.id, s.workId]));

    const spawned = await planner.call<{ phase: string; offered: string[]; contextFiles: string[]; degraded: boolean }>('spawn_subagents', { orchestrationId: id });
    expect(spawned).toMatchObject({ phase: 'execution', offered: ['a', 'b'], degraded: false });
    expect(spawned.contextFiles).toEqual(['a', 'b', 'c', 'd'].map((s) => join(plannerDir, id, s, 'context.md')));
    expect(readText(join(plannerDir, id, 'a', 'context.md'))).toMatch(/Write the parser[\s\S]*submit_result/);
    // Spawning again offers nothing twice.
    expect((await planner.call<{ offered: string[] }>('spawn_subagents', { orchestrationId: id })).offered).toEqual([]);

    // Both first-wave items are on the queue at the same time; the second wave is not.
    const first = await worker.claim();
    const second = await worker.claim();
    expect([first?.workId, second?.workId].sort()).toEqual([workIdOf.a, workIdOf.b]);
    expect(first?.contextData).toMatchObject({ orchestrationId: id });
    expect(await worker.claim(300)).toBeNull();

    // Result of a from another shuttle process with its own work directory, as from another machine.
    const submitted = await remote.call<{ accepted: boolean; remaining: number; degraded: boolean }>('submit_result', { orchestrationId: id, subtaskId: 'a', result: 'Parser done: recursive descent.', files: ['src/parser.ts'] });
    expect(submitted).toMatchObject({ accepted: true, remaining: 3, degraded: false });
    expect(JSON.parse(readFileSync(join(remoteDir, id, 'a', 'result.json'), 'utf8'))).toMatchObject({ result: 'Parser done: recursive descent.' });
    await worker.complete(workIdOf.a!, 'acknowledged');
    expect(await errorText(remote, 'submit_result', { orchestrationId: id, subtaskId: 'a', result: 'again' })).toMatch(/^LOOM_ERR_CONFLICT: subtask "a" of orchestration .* already has a result/);

    // The claim of b reaches the orchestration through the work events (processed in the background).
    const halfway = await until(async () => {
      const p = await planner.call<Results & { counts: Record<string, number> }>('checkpoint_progress', { orchestrationId: id, note: 'a is in' });
      return p.subtasks.find((s) => s.id === 'b')?.state === 'claimed' ? p : undefined;
    }, 'the claim of b to show');
    expect(states(halfway)).toEqual({ a: 'completed', b: 'claimed', c: 'waiting', d: 'waiting' });
    expect(halfway.subtasks.find((s) => s.id === 'b')?.agentId).toBe(hex('1'));
    expect(halfway.counts).toEqual({ completed: 1, claimed: 1, waiting: 2 });
    expect(await worker.claim(300)).toBeNull();

    await remote.call('submit_result', { orchestrationId: id, subtaskId: 'b', result: 'Lexer done.', files: ['src/lexer.ts'] });
    await worker.complete(workIdOf.b!, 'acknowledged');

    // Now the second wave goes out, with the results of a and b in its context.
    const third = await until(() => worker.claim(2000), 'the second wave to be offered');
    const fourth = await until(() => worker.claim(2000), 'the other second-wave item');
    expect([third.workId, fourth.workId].sort()).toEqual([workIdOf.c, workIdOf.d]);
    expect(String(third.contextData?.context)).toMatch(/Parser done: recursive descent\.[\s\S]*Lexer done\./);
    // The second shuttle offered them; the planner's work directory follows through the KV watch.
    await until(() => /Parser done: recursive descent\./.test(readText(join(plannerDir, id, 'c', 'context.md')) ?? ''), "c's context.md in the planner's work directory to carry a's result");

    // c reports only through its work completion ({result, files} JSON); d through submit_result.
    await worker.complete(workIdOf.c!, JSON.stringify({ result: 'Tests written.', files: ['test/parser.test.ts'] }));
    await remote.call('submit_result', { orchestrationId: id, subtaskId: 'd', result: 'Docs written.', files: ['docs/parser.md'] });
    await worker.complete(workIdOf.d!, 'acknowledged');

    const results = await until(async () => {
      const r = await planner.call<Results>('get_results', { orchestrationId: id });
      return r.complete ? r : undefined;
    }, 'every result to reach the planner');
    expect(results.phase).toBe('collection');
    expect(results.subtasks.map((s) => [s.id, s.result, s.source])).toEqual([
      ['a', 'Parser done: recursive descent.', 'submit_result'],
      ['b', 'Lexer done.', 'submit_result'],
      ['c', 'Tests written.', 'work-completion'],
      ['d', 'Docs written.', 'submit_result'],
    ]);
    // Results from the other machine were written to this work directory too.
    expect(JSON.parse(readFileSync(join(plannerDir, id, 'a', 'result.json'), 'utf8'))).toMatchObject({ result: 'Parser done: recursive descent.', by: hex('b') });

    const synthesis = await planner.call<{ phase: string; outcome: string; path: string; conflicts: unknown[]; document: string }>('synthesize_results', { orchestrationId: id });
    expect(synthesis).toMatchObject({ phase: 'complete', outcome: 'complete', conflicts: [], path: join(plannerDir, id, 'synthesis.md') });
    const doc = readFileSync(synthesis.path, 'utf8');
    const order = ['Parser done', 'Lexer done', 'Tests written', 'Docs written'].map((text) => doc.indexOf(text));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect(doc).toBe(synthesis.document);

    const listed = await remote.call<{ orchestrations: Array<{ orchestrationId: string; phase: string }> }>('list_orchestrations', { phase: 'complete' });
    expect(listed.orchestrations.map((o) => o.orchestrationId)).toContain(id);
    expect(await errorText(remote, 'submit_result', { orchestrationId: id, subtaskId: 'c', result: 'late' })).toMatch(/^LOOM_ERR_CONFLICT: .*already synthesized/);
  });

  it('marks an orchestration partially complete when a subtask is dead-lettered, and synthesis lists it as a conflict', async () => {
    const plan = await assess([
      { id: 'ok', instructions: 'This one works', capability: 'build' },
      { id: 'doomed', instructions: 'This one fails', capability: 'build' },
      { id: 'after', instructions: 'Needs doomed', capability: 'build', dependsOn: ['doomed'] },
    ]);
    const id = plan.orchestrationId;
    await planner.call('spawn_subagents', { orchestrationId: id });
    for (let n = 0; n < 2; n++) {
      const work = await until(() => worker.claim(2000), 'a first-wave item');
      if (work.workId.endsWith('-ok')) await worker.complete(work.workId, 'fine');
      else expect((await worker.fail(work.workId, 'compiler exploded', false)).outcome).toBe('dead-lettered');
    }
    const progress = await until(async () => {
      const p = await planner.call<Results>('checkpoint_progress', { orchestrationId: id });
      return p.phase === 'partially-complete' ? p : undefined;
    }, 'the dead letter to reach the orchestration');
    expect(states(progress)).toEqual({ ok: 'completed', doomed: 'failed', after: 'blocked' });
    expect(progress.subtasks.find((s) => s.id === 'doomed')?.error).toMatch(/compiler exploded/);
    expect(await worker.claim(300)).toBeNull();

    const synthesis = await planner.call<{ phase: string; conflicts: Array<{ type: string; subtaskIds: string[]; detail: string }>; document: string }>('synthesize_results', { orchestrationId: id });
    expect(synthesis.phase).toBe('partially-complete');
    expect(synthesis.conflicts).toEqual([
      expect.objectContaining({ type: 'failed', subtaskIds: ['doomed'], detail: expect.stringMatching(/compiler exploded/) }),
      expect.objectContaining({ type: 'failed', subtaskIds: ['after'], detail: expect.stringMatching(/never ran: it depends on doomed/) }),
    ]);
    expect(synthesis.document).toMatch(/## Conflicts[\s\S]*doomed failed/);
  });

  it('reports two results that change the same file as a conflict', async () => {
    const plan = await assess([
      { id: 'left', instructions: 'Change the config loader', capability: 'build' },
      { id: 'right', instructions: 'Also change the config loader', capability: 'build' },
    ]);
    const id = plan.orchestrationId;
    await planner.call('spawn_subagents', { orchestrationId: id });
    await remote.call('submit_result', { orchestrationId: id, subtaskId: 'left', result: 'Left edit.', files: ['src/config.ts', 'src/left.ts'] });
    await remote.call('submit_result', { orchestrationId: id, subtaskId: 'right', result: 'Right edit.', files: ['./src/config.ts'] });
    const synthesis = await planner.call<{ phase: string; conflicts: Array<{ type: string; file?: string; subtaskIds: string[] }> }>('synthesize_results', { orchestrationId: id });
    expect(synthesis.phase).toBe('complete');
    expect(synthesis.conflicts).toEqual([expect.objectContaining({ type: 'same-file', file: 'src/config.ts', subtaskIds: ['left', 'right'] })]);
    expect(existsSync(join(plannerDir, id, 'synthesis.md'))).toBe(true);
    // Both items were offered and nobody claimed them: synthesis withdrew them, so no agent starts them now.
    expect(await worker.claim(500)).toBeNull();
  });
});
