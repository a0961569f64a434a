// Identity end to end: handles per agent (and per sub-agent), shown wherever other agents see this one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { agentIdFor, errorText, startWarpFixture, streamLastSeq, type WarpFixture } from './messaging-fixture.js';

interface Me {
  agentId: string;
  handle: string | null;
  projectId: string;
  subagentType?: string;
  parentAgentId?: string;
}

const PROJECT = 'id-e2e';
let fixture: WarpFixture;

beforeAll(async () => {
  fixture = await startWarpFixture();
});

afterAll(async () => {
  await fixture?.close();
});

describe('identity', () => {
  it('each agent of a project keeps its own handle, across restarts, and others see it', async () => {
    const [alice, bob] = await Promise.all([fixture.warp({ projectId: PROJECT, agentId: agentIdFor('a') }), fixture.warp({ projectId: PROJECT, agentId: agentIdFor('b') })]);
    expect(await alice.call<Me>('get_my_handle')).toMatchObject({ agentId: agentIdFor('a'), handle: null, projectId: PROJECT });
    await alice.call('set_handle', { handle: 'alice' });
    await bob.call('set_handle', { handle: 'bob' });
    expect((await alice.call<Me>('get_my_handle')).handle).toBe('alice');
    expect((await bob.call<Me>('get_my_handle')).handle).toBe('bob');

    await alice.call('register_agent', { agentType: 'dev' });
    expect((await bob.call<{ agent: { handle: string } }>('get_agent_info', { agentId: agentIdFor('a') })).agent.handle).toBe('alice');
    const renamed = await alice.call<{ registryUpdated: boolean }>('set_handle', { handle: 'alice-2' });
    expect(renamed.registryUpdated).toBe(true);
    expect((await bob.call<{ agent: { handle: string } }>('get_agent_info', { agentId: agentIdFor('a') })).agent.handle).toBe('alice-2');

    await alice.close();
    const aliceAgain = await fixture.warp({ projectId: PROJECT, agentId: agentIdFor('a') });
    expect((await aliceAgain.call<Me>('get_my_handle')).handle).toBe('alice-2');
    await Promise.all([aliceAgain.close(), bob.close()]);
  });

  it('a sub-agent has its own id, derived from its parent, and its own handle', async () => {
    const parent = agentIdFor('c');
    const sub = await fixture.warp({ projectId: PROJECT, agentId: parent, env: { LOOMINAL_SUBAGENT_TYPE: 'tester' } });
    const me = await sub.call<Me>('get_my_handle');
    expect(me.agentId).toBe(createHash('sha256').update(`${parent}tester`).digest('hex').slice(0, 32));
    expect(me).toMatchObject({ subagentType: 'tester', parentAgentId: parent, handle: null });
    await sub.call('set_handle', { handle: 'c-tester' });
    const root = await fixture.warp({ projectId: PROJECT, agentId: parent });
    expect((await root.call<Me>('get_my_handle')).handle).toBeNull();
    expect((await sub.call<Me>('get_my_handle')).handle).toBe('c-tester');
    await Promise.all([sub.close(), root.close()]);
  });

  it('rejects bad handles, naming the field, and stores nothing', async () => {
    const dave = await fixture.warp({ projectId: PROJECT, agentId: agentIdFor('d') });
    const before = await streamLastSeq(fixture.jsm, 'KV_loom-identity-id-e2e');
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['set_handle', {}, 'handle'],
      ['set_handle', { handle: 7 }, 'handle'],
      ['set_handle', { handle: 'dave.smith' }, 'handle'],
      ['set_handle', { handle: 'dave*' }, 'handle'],
      ['set_handle', { handle: 'dave>' }, 'handle'],
      ['set_handle', { handle: 'dave smith' }, 'handle'],
      ['set_handle', { handle: 'x'.repeat(65) }, 'handle'],
      ['get_my_handle', { agentId: agentIdFor('a') }, 'agentId'],
    ];
    for (const [tool, args, field] of cases) {
      const text = await errorText(dave, tool, args);
      expect(text, `${tool} ${JSON.stringify(args)}`).toMatch(/^LOOM_ERR_INVALID_(INPUT|NAME)/);
      expect(text, `${tool} ${JSON.stringify(args)}`).toContain(field);
    }
    expect(await streamLastSeq(fixture.jsm, 'KV_loom-identity-id-e2e')).toBe(before);
    await dave.close();
  });
});
