// Project isolation end to end: two projects on one server never see each other's channels, agents or inboxes;
// public and personal agents cross projects by design; the number of streams per project stays constant.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpSession } from '../../core/testing/mcp-client.js';
import { agentIdFor, errorText, eventually, projectStreams, startWarpFixture, type WarpFixture } from './messaging-fixture.js';

interface Agent {
  id: string;
  projectId: string;
  scope: string;
}
const ids = (agents: { agents: Agent[] }) => agents.agents.map((a) => a.id).sort();

let fixture: WarpFixture;
let one: McpSession;
let oneBis: McpSession;
let two: McpSession;

beforeAll(async () => {
  fixture = await startWarpFixture();
  [one, oneBis, two] = await Promise.all([
    fixture.warp({ projectId: 'iso-one', agentId: agentIdFor('1') }),
    fixture.warp({ projectId: 'iso-one', agentId: agentIdFor('2') }),
    fixture.warp({ projectId: 'iso-two', agentId: agentIdFor('3') }),
  ]);
});

afterAll(async () => {
  await fixture?.close();
});

describe('project isolation', () => {
  it('channel messages stay inside their project', async () => {
    await one.call('send_message', { channel: 'roadmap', message: 'project one only' });
    await two.call('send_message', { channel: 'roadmap', message: 'project two only' });
    const inOne = await oneBis.call<{ messages: Array<{ message: string }> }>('read_messages', { channel: 'roadmap' });
    const inTwo = await two.call<{ messages: Array<{ message: string }> }>('read_messages', { channel: 'roadmap' });
    expect(inOne.messages.map((m) => m.message)).toEqual(['project one only']);
    expect(inTwo.messages.map((m) => m.message)).toEqual(['project two only']);
  });

  it('team agents are discoverable only in their project', async () => {
    await one.call('register_agent', { agentType: 'dev', capabilities: ['iso-cap'] });
    await two.call('register_agent', { agentType: 'dev', capabilities: ['iso-cap'] });
    await eventually(async () => ids(await oneBis.call('discover_agents', { capability: 'iso-cap' })), (found) => found.length === 1, { what: 'project one sees its agent' });
    expect(ids(await oneBis.call('discover_agents', { capability: 'iso-cap' }))).toEqual([agentIdFor('1')]);
    expect(ids(await two.call('discover_agents', { capability: 'iso-cap' }))).toEqual([agentIdFor('3')]);
    expect(await errorText(two, 'get_agent_info', { agentId: agentIdFor('1') })).toMatch(/^LOOM_ERR_NOT_FOUND/);
  });

  it('direct messages stay inside their project, even to the same agent id', async () => {
    // Project two addresses project one's agent id: it lands in project two's inbox, never in project one's.
    await two.call('send_direct_message', { recipientId: agentIdFor('1'), message: 'wrong project' });
    await oneBis.call('send_direct_message', { recipientId: agentIdFor('1'), message: 'right project' });
    const inbox = await one.call<{ messages: Array<{ message: string }> }>('read_direct_messages', {});
    expect(inbox.messages.map((m) => m.message)).toEqual(['right project']);
    const twin = await fixture.warp({ projectId: 'iso-two', agentId: agentIdFor('1') });
    expect((await twin.call<{ messages: Array<{ message: string }> }>('read_direct_messages', {})).messages.map((m) => m.message)).toEqual(['wrong project']);
    await twin.close();
  });

  it('a public agent is discoverable from every project, a personal one only by the same principal', async () => {
    const publicAgent = agentIdFor('4');
    const personalAgent = agentIdFor('5');
    await one.call('register_agent', { agentId: publicAgent, agentType: 'helper', capabilities: ['cross-cap'], scope: 'public' });
    await one.call('register_agent', { agentId: personalAgent, agentType: 'helper', capabilities: ['cross-cap'], scope: 'personal' });
    const seen = await eventually(async () => two.call<{ agents: Agent[] }>('discover_agents', { capability: 'cross-cap' }), (r) => r.agents.length === 2, { what: 'project two sees public and personal agents' });
    expect(seen.agents.map((a) => [a.id, a.projectId, a.scope]).sort()).toEqual([
      [publicAgent, 'iso-one', 'public'],
      [personalAgent, 'iso-one', 'personal'],
    ]);
    const stranger = await fixture.warp({ projectId: 'iso-two', agentId: agentIdFor('6'), env: { LOOMINAL_PRINCIPAL: 'someone-else@elsewhere' } });
    const strangerSees = await eventually(async () => stranger.call<{ agents: Agent[] }>('discover_agents', { capability: 'cross-cap' }), (r) => r.agents.length >= 1, { what: 'stranger sees the public agent' });
    expect(strangerSees.agents.map((a) => a.id)).toEqual([publicAgent]);
    expect(await errorText(stranger, 'get_agent_info', { agentId: personalAgent })).toMatch(/^LOOM_ERR_NOT_FOUND/);
    await stranger.close();
  });

  it('the number of streams of a project stays the same with 20 channels, 20 agents and 20 inboxes', async () => {
    const channels = Array.from({ length: 20 }, (_, i) => ({ name: `ch-${i + 1}`, description: `channel ${i + 1}` }));
    const cwd = fixture.projectDir({ '.loomrc.json': { options: { 'service:channels': { channels } } } });
    const agent = await fixture.warp({ projectId: 'iso-count', agentId: agentIdFor('7'), cwd });
    await agent.call('send_message', { channel: 'ch-1', message: 'first' });
    await agent.call('register_agent', { agentType: 'dev', capabilities: ['count'] });
    await agent.call('send_direct_message', { recipientId: agentIdFor('8'), message: 'first' });
    await agent.call('read_direct_messages', {});
    const streamsAfterOne = await projectStreams(fixture.jsm, 'iso-count');
    const allAfterOne = await countAllStreams();

    for (let i = 2; i <= 20; i++) {
      await agent.call('send_message', { channel: `ch-${i}`, message: `message ${i}` });
      await agent.call('register_agent', { agentId: (0x1000 + i).toString(16).padStart(32, '0'), agentType: 'dev', capabilities: [`cap-${i}`] });
      await agent.call('send_direct_message', { recipientId: (0x2000 + i).toString(16).padStart(32, '0'), message: `hello ${i}` });
    }
    const streamsAfterTwenty = await projectStreams(fixture.jsm, 'iso-count');
    expect(streamsAfterOne).toEqual(['LOOM_ISO-COUNT_CHANNELS', 'LOOM_ISO-COUNT_INBOX']);
    expect(streamsAfterTwenty).toEqual(streamsAfterOne);
    expect(await countAllStreams()).toBe(allAfterOne);
    // The public and personal agents of the test before are visible here too, by design.
    const found = (await agent.call<{ agents: Agent[] }>('discover_agents', {})).agents;
    expect(found.filter((a) => a.projectId === 'iso-count')).toHaveLength(20);
    await agent.close();
  });
});

async function countAllStreams(): Promise<number> {
  let n = 0;
  for await (const _name of fixture.jsm.streams.names()) n++;
  return n;
}
