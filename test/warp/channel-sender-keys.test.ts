// A channel page asks for each sender's key once, however many of its messages that sender wrote, and still gives
// every message the verdict of its own sender's key (against a real nats-server).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNames } from '../../core/index.js';
import { createSilentLogger } from '../../core/log.js';
import { createNatsService, type NatsService } from '../../core/nats/connection.js';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { channelsOptionsSchema, resolveChannels } from '../../plugins/services/channels/options.js';
import { createProjectChannels } from '../../plugins/services/channels/project-channels.js';
import type { SenderKey } from '../../plugins/services/channels/sender-keys.js';

const PROJECT = 'sender-keys-once';
const [alice, bob, mallory] = ['a', 'b', 'c'].map((c) => c.repeat(32)) as [string, string, string];
let server: NatsServerHandle;
let nats: NatsService;
const asked: string[] = [];

beforeAll(async () => {
  server = await startNatsServer();
  nats = createNatsService({ config: { url: server.url }, env: {}, log: createSilentLogger(), name: 'sender-keys-once' });
}, 60_000);
afterAll(async () => {
  await nats?.close();
  await server?.stop();
});

describe('a channel page', () => {
  it('looks up each sender once and drops only the messages of a sender whose key they lack', async () => {
    const names = createNames(PROJECT);
    const channels = createProjectChannels({
      projectId: PROJECT,
      channels: resolveChannels(channelsOptionsSchema.parse({}), names),
      nats,
      fetchTimeoutMs: 5000,
      // mallory has a provisioned key that unsigned messages cannot match: its messages are forgeries.
      senderKeys: { of: async (agentId): Promise<SenderKey> => (asked.push(agentId), agentId === mallory ? { kind: 'unusable' } : { kind: 'none' }) },
      log: createSilentLogger(),
    });
    const channel = channels.list()[0]!.name;
    for (let i = 0; i < 30; i++) {
      const from = [alice, bob, mallory][i % 3]!;
      await channels.publish(channel, { from: { agentId: from, projectId: PROJECT }, message: `m${i}` });
    }
    const page = await channels.read(channel, { since: 0, limit: 100 });
    expect(page.messages.map((m) => m.message)).toEqual(Array.from({ length: 30 }, (_, i) => `m${i}`).filter((_, i) => i % 3 !== 2));
    expect(page.messages.every((m) => m.verified === false)).toBe(true);
    expect(asked.sort()).toEqual([alice, bob, mallory]);
  }, 60_000);
});
