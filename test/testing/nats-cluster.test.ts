// The 3-node cluster harness: a replicated stream keeps every acknowledged message when a node dies.
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { afterAll, describe, expect, it } from 'vitest';
import { startNatsCluster, type NatsCluster } from '../../core/testing/nats-cluster.js';

let cluster: NatsCluster | undefined;
let nc: NatsConnection | undefined;
afterAll(async () => {
  await nc?.close();
  await cluster?.stop();
});

/** What a client does while the cluster elects new leaders: retry until a deadline. */
async function retry<T>(fn: () => Promise<T>, deadlineMs = 30_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function publishWithRetry(nc: NatsConnection, subject: string, payload: string, deadlineMs: number): Promise<number> {
  const js = jetstream(nc, { timeout: 2000 });
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      // The message id makes a retry of a publish whose ack was lost a duplicate the stream drops.
      return (await js.publish(subject, payload, { msgID: payload })).seq;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe('startNatsCluster', () => {
  it('runs an R3 stream that keeps every acknowledged message when the stream leader is killed', async () => {
    cluster = await startNatsCluster();
    expect(cluster.nodes.map((node) => node.name)).toEqual(['n1', 'n2', 'n3']);
    expect(new Set(cluster.urls).size).toBe(3);
    expect(cluster.nodes.every((node) => node.running && node.pid > 0)).toBe(true);

    nc = await connect({ servers: cluster.urls, reconnectTimeWait: 100, maxReconnectAttempts: -1 });
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.add({ name: 'R3TEST', subjects: ['r3.>'], num_replicas: 3 });
    expect(info.config.num_replicas).toBe(3);

    const sent: string[] = [];
    for (let i = 0; i < 25; i++) {
      sent.push(`before-${i}`);
      await publishWithRetry(nc, 'r3.items', `before-${i}`, 30_000);
    }

    const leader = (await retry(() => jsm.streams.info('R3TEST'))).cluster?.leader;
    expect(cluster.nodes.map((node) => node.name)).toContain(leader);
    const victim = cluster.node(leader!);
    await victim.kill();
    expect(victim.running).toBe(false);

    for (let i = 0; i < 25; i++) {
      sent.push(`after-${i}`);
      await publishWithRetry(nc, 'r3.items', `after-${i}`, 30_000);
    }

    // The killed node may have been the meta leader too: the JetStream API answers again once a new one is elected.
    await cluster.waitForJetStream();
    const jsmAfter = await retry(() => jetstreamManager(nc!, { timeout: 2000 }));
    const state = (await retry(() => jsmAfter.streams.info('R3TEST'))).state;
    expect(state.messages).toBe(50);
    const read: string[] = [];
    for (let seq = state.first_seq; seq <= state.last_seq; seq++) read.push((await retry(() => jsmAfter.streams.getMessage('R3TEST', { seq })))?.string() ?? `missing seq ${seq}`);
    expect(read).toEqual(sent);

    await victim.restart();
    expect(victim.running).toBe(true);
    await cluster.waitForJetStream();
  });
});
