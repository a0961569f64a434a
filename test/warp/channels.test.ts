// Channels end to end: real `loom warp` processes over stdio, one nats-server, several agents of one project.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpSession } from '../../core/testing/mcp-client.js';
import { createNames, generateSigningKey } from '../../core/index.js';
import { agentIdFor, errorText, projectStreams, startWarpFixture, streamLastSeq, type WarpFixture } from './messaging-fixture.js';

interface ReadPage {
  messages: Array<{ sequence: number; message: string; from: { agentId: string; handle?: string }; verified: boolean; untrusted: true }>;
  olderCursor?: number;
  hasNewer: boolean;
  lastSequence: number;
  note: string;
}

const PROJECT = 'chan-e2e';
let fixture: WarpFixture;
let alice: McpSession;
let bob: McpSession;
let carol: McpSession;

beforeAll(async () => {
  fixture = await startWarpFixture();
  const cwd = fixture.projectDir({
    '.loominal-config.json': {
      channels: [
        { name: 'planning', description: 'Sprint planning' },
        { name: 'alerts', description: 'Short-lived alerts', maxAgeMs: 60_000 },
      ],
    },
  });
  [alice, bob, carol] = await Promise.all([
    fixture.warp({ projectId: PROJECT, agentId: agentIdFor('a'), cwd }),
    fixture.warp({ projectId: PROJECT, agentId: agentIdFor('b'), cwd }),
    fixture.warp({ projectId: PROJECT, agentId: agentIdFor('c'), cwd }),
  ]);
});

afterAll(async () => {
  await fixture?.close();
});

describe('channels', () => {
  it('lists the default channels and the configured ones with their descriptions', async () => {
    const { channels } = await bob.call<{ channels: Array<{ name: string; description: string; maxAgeMs: number }> }>('list_channels');
    expect(channels.map((c) => c.name).sort()).toEqual(['alerts', 'errors', 'parallel-work', 'planning', 'roadmap']);
    expect(channels.find((c) => c.name === 'planning')?.description).toBe('Sprint planning');
    expect(channels.find((c) => c.name === 'roadmap')?.description).toMatch(/\w/);
    expect(channels.find((c) => c.name === 'alerts')?.maxAgeMs).toBe(60_000);
  });

  it('a message sent by one agent is read by two others, and reading consumes nothing', async () => {
    await alice.call('set_handle', { handle: 'alice' });
    const sent = await alice.call<{ id: string; sequence: number; signed: boolean }>('send_message', { channel: 'roadmap', message: 'ship the parser first', metadata: { files: ['src/parser.ts'] } });
    expect(sent.id).toMatch(/^[0-9a-f]{32}$/);
    // No LOOMINAL_SIGNING_KEY in alice's environment: sent unsigned, and the answer says so.
    expect(sent.signed).toBe(false);

    const byBob = await bob.call<ReadPage>('read_messages', { channel: 'roadmap' });
    const byCarol = await carol.call<ReadPage>('read_messages', { channel: 'roadmap' });
    const again = await bob.call<ReadPage>('read_messages', { channel: 'roadmap' });
    for (const page of [byBob, byCarol, again]) {
      const found = page.messages.find((m) => m.sequence === sent.sequence);
      expect(found?.message).toBe('ship the parser first');
      expect(found?.from).toMatchObject({ agentId: agentIdFor('a'), handle: 'alice' });
      expect(found?.untrusted).toBe(true);
      // No loom auth, so no key is provisioned for anyone: the sender is a claim.
      expect(found?.verified).toBe(false);
      expect(page.note).toMatch(/untrusted/);
    }
    const status = await carol.call<{ messageCount: number; lastSequence: number }>('channel_status', { channel: 'roadmap' });
    expect(status.messageCount).toBe(1);
    expect(status.lastSequence).toBe(sent.sequence);
  });

  it('pages back through older messages with the cursor, and since returns only new ones', async () => {
    const sent: number[] = [];
    for (let i = 1; i <= 12; i++) {
      sent.push((await alice.call<{ sequence: number }>('send_message', { channel: 'parallel-work', message: `step ${i}` })).sequence);
      // Another channel's messages interleave in the same stream; pages must skip them.
      if (i % 3 === 0) await carol.call('send_message', { channel: 'planning', message: `noise ${i}` });
    }
    const first = await bob.call<ReadPage>('read_messages', { channel: 'parallel-work', limit: 5 });
    expect(first.messages.map((m) => m.message)).toEqual(['step 8', 'step 9', 'step 10', 'step 11', 'step 12']);
    expect(first.olderCursor).toBe(sent[7]);

    const pages = [first];
    while (pages.at(-1)!.olderCursor !== undefined) {
      pages.push(await bob.call<ReadPage>('read_messages', { channel: 'parallel-work', limit: 5, before: pages.at(-1)!.olderCursor }));
      expect(pages.length).toBeLessThan(6);
    }
    const all = pages.reverse().flatMap((page) => page.messages.map((m) => m.message));
    expect(all).toEqual(Array.from({ length: 12 }, (_, i) => `step ${i + 1}`));

    const nothingNew = await carol.call<ReadPage>('read_messages', { channel: 'parallel-work', since: first.lastSequence });
    expect(nothingNew.messages).toEqual([]);
    await alice.call('send_message', { channel: 'parallel-work', message: 'step 13' });
    await carol.call('send_message', { channel: 'planning', message: 'more noise' });
    await alice.call('send_message', { channel: 'parallel-work', message: 'step 14' });

    const justOne = await carol.call<ReadPage>('read_messages', { channel: 'parallel-work', since: first.lastSequence, limit: 1 });
    expect(justOne.messages.map((m) => m.message)).toEqual(['step 13']);
    expect(justOne.hasNewer).toBe(true);
    const rest = await carol.call<ReadPage>('read_messages', { channel: 'parallel-work', since: justOne.lastSequence });
    expect(rest.messages.map((m) => m.message)).toEqual(['step 14']);
    expect(rest.hasNewer).toBe(false);
    const none = await carol.call<ReadPage>('read_messages', { channel: 'parallel-work', since: rest.lastSequence });
    expect(none.messages).toEqual([]);

    // A sparse channel (its messages far apart in the shared stream) pages the same way.
    const sparse: string[] = [];
    let cursor: number | undefined;
    do {
      const page: ReadPage = await bob.call<ReadPage>('read_messages', { channel: 'planning', limit: 2, ...(cursor !== undefined ? { before: cursor } : {}) });
      sparse.unshift(...page.messages.map((m) => m.message));
      cursor = page.olderCursor;
    } while (cursor !== undefined);
    expect(sparse).toEqual(['noise 3', 'noise 6', 'noise 9', 'noise 12', 'more noise']);
  });

  it('a sender with a signing key but no provisioned keys is read as verified: false, and reading creates no keys bucket', async () => {
    const dave = await fixture.warp({ projectId: PROJECT, agentId: agentIdFor('d'), cwd: fixture.projectDir(), env: { LOOMINAL_SIGNING_KEY: generateSigningKey().privateKey } });
    const sent = await dave.call<{ sequence: number; signed: boolean }>('send_message', { channel: 'errors', message: 'signed, but nobody holds my key' });
    expect(sent.signed).toBe(true);
    const page = await bob.call<ReadPage>('read_messages', { channel: 'errors' });
    expect(page.messages.find((m) => m.sequence === sent.sequence)).toMatchObject({ from: { agentId: agentIdFor('d') }, verified: false });
    await expect(fixture.jsm.streams.info(`KV_${createNames(PROJECT).signingKeysBucket}`)).rejects.toThrow(/not found/i);
  });

  it('a channel configured with its own max age gets a stream of its own; the others share one', async () => {
    await alice.call('send_message', { channel: 'alerts', message: 'disk almost full' });
    const page = await bob.call<ReadPage>('read_messages', { channel: 'alerts' });
    expect(page.messages.map((m) => m.message)).toEqual(['disk almost full']);
    const streams = await projectStreams(fixture.jsm, PROJECT);
    expect(streams).toContain('LOOM_CHAN-E2E_CHANNELS');
    expect(streams).toContain('LOOM_CHAN-E2E_CH~ALERTS');
    expect(streams.filter((s) => s.includes('_CH~'))).toEqual(['LOOM_CHAN-E2E_CH~ALERTS']);
  });

  it('an unknown channel is a clear error that lists the channels', async () => {
    const text = await errorText(alice, 'send_message', { channel: 'nope', message: 'hello' });
    expect(text).toMatch(/^LOOM_ERR_NOT_FOUND/);
    expect(text).toContain('roadmap');
  });

  it('rejects bad input to every channel tool, naming the field, and publishes nothing', async () => {
    const before = await streamLastSeq(fixture.jsm, 'LOOM_CHAN-E2E_CHANNELS');
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['list_channels', { bogus: true }, 'bogus'],
      ['send_message', { message: 'hi' }, 'channel'],
      ['send_message', { channel: 'roadmap' }, 'message'],
      ['send_message', { channel: 7, message: 'hi' }, 'channel'],
      ['send_message', { channel: 'roadmap', message: 42 }, 'message'],
      ['send_message', { channel: 'road.map', message: 'hi' }, 'channel'],
      ['send_message', { channel: 'road*', message: 'hi' }, 'channel'],
      ['send_message', { channel: 'road>', message: 'hi' }, 'channel'],
      ['send_message', { channel: 'road map', message: 'hi' }, 'channel'],
      ['send_message', { channel: 'roadmap', message: '' }, 'message'],
      ['send_message', { channel: 'roadmap', message: 'x'.repeat(1_000_001) }, 'message'],
      ['send_message', { channel: 'roadmap', message: 'é'.repeat(600_000) }, 'message'],
      ['send_message', { channel: 'roadmap', message: 'hi', metadata: 'not an object' }, 'metadata'],
      ['read_messages', {}, 'channel'],
      ['read_messages', { channel: 'a.b' }, 'channel'],
      ['read_messages', { channel: 'roadmap', limit: 'ten' }, 'limit'],
      ['read_messages', { channel: 'roadmap', limit: 0 }, 'limit'],
      ['read_messages', { channel: 'roadmap', before: -1 }, 'before'],
      ['read_messages', { channel: 'roadmap', before: 5, since: 1 }, 'since'],
      ['channel_status', {}, 'channel'],
      ['channel_status', { channel: 'x y' }, 'channel'],
    ];
    for (const [tool, args, field] of cases) {
      const text = await errorText(alice, tool, args);
      expect(text, `${tool} ${JSON.stringify(args).slice(0, 80)}`).toMatch(/^LOOM_ERR_INVALID_(INPUT|NAME)/);
      expect(text, `${tool} ${JSON.stringify(args).slice(0, 80)}`).toContain(field);
    }
    expect(await streamLastSeq(fixture.jsm, 'LOOM_CHAN-E2E_CHANNELS')).toBe(before);
  });
});
