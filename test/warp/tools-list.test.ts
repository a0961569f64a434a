// The exact warp tool list of SPEC §5 over stdio: a missing, renamed or extra tool, or one without the metadata a
// client shows (title, description, output schema, annotations), fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectToolList } from '../fixtures/tool-list.js';
import { agentIdFor, startWarpFixture, type WarpFixture } from './messaging-fixture.js';

const WARP_TOOLS = [
  // identity
  'set_handle',
  'get_my_handle',
  // channels
  'list_channels',
  'send_message',
  'read_messages',
  'channel_status',
  // registry
  'register_agent',
  'discover_agents',
  'get_agent_info',
  'update_presence',
  'deregister_agent',
  // direct messages
  'send_direct_message',
  'read_direct_messages',
  // work
  'broadcast_work_offer',
  'claim_work',
  'complete_work',
  'fail_work',
  // dead letters
  'list_dead_letter_items',
  'retry_dead_letter_item',
  'discard_dead_letter_item',
];

// Tools that only read: a client may call them without asking; every other tool changes state.
const READ_ONLY = ['get_my_handle', 'list_channels', 'read_messages', 'channel_status', 'discover_agents', 'get_agent_info', 'list_dead_letter_items'];

let fixture: WarpFixture;

beforeAll(async () => {
  fixture = await startWarpFixture();
});

afterAll(async () => {
  await fixture?.close();
});

describe('loom warp tools/list', () => {
  it('lists exactly the twenty tools of the spec, each with a title, a description, object schemas and annotations', async () => {
    const warp = await fixture.warp({ projectId: 'tools-list', agentId: agentIdFor('7') });
    const { tools } = await warp.client.listTools();
    expect(WARP_TOOLS).toHaveLength(20);
    expectToolList(tools, { names: WARP_TOOLS, readOnly: READ_ONLY });
  });
});
