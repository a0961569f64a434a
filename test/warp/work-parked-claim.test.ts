// A parked claimer's polls: it pulls only levels that still store a message, and still finds a redelivery no offer
// announced. Each of ten levels used to be pulled every claimPollMs: twenty pulls a second per idle agent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { createTestKernel } from '../../core/testing/kernel.js';
import { createNames, workQueueService, type Kernel } from '../../core/index.js';
import { natsKvStorage } from '../../plugins/storage/nats-kv/index.js';
import { workEventsPlugin } from '../../plugins/services/work-events/index.js';
import { workQueuePlugin } from '../../plugins/services/work-queue/index.js';

let nats: NatsServerHandle;
let watcher: NatsConnection;
const kernels: Kernel[] = [];
const POLL_MS = 100;

async function kernel(projectId: string): Promise<Kernel> {
  const k = await createTestKernel({
    plugins: [natsKvStorage, workEventsPlugin, workQueuePlugin],
    config: { nats: { url: nats.url }, options: { 'service:work-queue': { ackWaitMs: 1500, maxDeliver: 3, retryDelayMs: 50, claimPollMs: POLL_MS } } },
    env: { LOOMINAL_PROJECT_ID: projectId, LOOMINAL_AGENT_ID: 'c'.repeat(32) },
  });
  kernels.push(k);
  return k;
}

/** Counts the JetStream API requests the server receives for one stream (a core subscriber sees them too). */
function countRequests(stream: string) {
  const pulls: string[] = [];
  const infos: string[] = [];
  const subs = [
    watcher.subscribe(`$JS.API.CONSUMER.MSG.NEXT.${stream}.>`, { callback: (_err, msg) => void pulls.push(msg.subject) }),
    watcher.subscribe(`$JS.API.STREAM.INFO.${stream}`, { callback: (_err, msg) => void infos.push(msg.string()) }),
  ];
  return { pulls, infos, stop: () => subs.forEach((sub) => sub.unsubscribe()), ready: () => watcher.flush() };
}

const offer = (workId: string, priority = 5) => ({ workId, description: `do ${workId}`, capability: 'build', priority, offeredBy: 'f'.repeat(32), scope: 'team' as const });

beforeAll(async () => {
  nats = await startNatsServer();
  watcher = await connect({ servers: nats.url });
});

afterAll(async () => {
  for (const k of kernels) await k.stop();
  await watcher?.close();
  await nats?.stop();
});

describe('a parked claimer', () => {
  it('polls an empty queue with one stream info per poll, not a pull per level', async () => {
    const projectId = 'parked-idle';
    const queue = (await kernel(projectId)).use(workQueueService).forProject(projectId);
    await queue.offer(offer('warm-up'));
    const warm = await queue.claim('build', { agentId: 'a'.repeat(32), timeoutMs: 5_000 });
    await queue.complete(warm!.item.workId, 'a'.repeat(32), null);
    const counted = countRequests(createNames(projectId).workStream);
    await counted.ready();
    // Parked for at least ten polls on an empty queue.
    expect(await queue.claim('build', { agentId: 'a'.repeat(32), timeoutMs: 12 * POLL_MS })).toBeNull();
    counted.stop();
    expect(counted.infos.length).toBeGreaterThanOrEqual(5);
    expect(counted.infos.every((body) => JSON.parse(body).subjects_filter === `loom.${projectId}.work.build.*`)).toBe(true);
    // The first pass pulls each level once; the polls pull none (each used to pull all ten).
    expect(counted.pulls.length).toBeLessThanOrEqual(10);
  });

  it('still takes an item handed back for a retry, which no offer announces, and pulls only its level for it', async () => {
    const projectId = 'parked-retry';
    const queue = (await kernel(projectId)).use(workQueueService).forProject(projectId);
    const [a, b] = ['a'.repeat(32), 'b'.repeat(32)];
    await queue.offer(offer('flaky', 7));
    const first = await queue.claim('build', { agentId: a, timeoutMs: 5_000 });
    expect(first?.item.workId).toBe('flaky');
    // b parks first; then a fails the item as retryable: the nak's delay ends with no offer to wake b.
    const counted = countRequests(createNames(projectId).workStream);
    await counted.ready();
    const parked = queue.claim('build', { agentId: b, timeoutMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 3 * POLL_MS));
    expect((await queue.fail('flaky', a, 'network blip', true)).outcome).toBe('retrying');
    const second = await parked;
    counted.stop();
    expect(second?.item).toMatchObject({ workId: 'flaky', attempt: 2 });
    // The polls pulled only the level that stored the item: every other level at most once, in b's first pass.
    const perLevel = new Map<string, number>();
    for (const level of counted.pulls.map((subject) => subject.split('.').pop()!)) perLevel.set(level, (perLevel.get(level) ?? 0) + 1);
    expect(perLevel.get('work-build-7')).toBeGreaterThanOrEqual(2);
    expect([...perLevel].filter(([level, n]) => level !== 'work-build-7' && n > 1)).toEqual([]);
    await queue.complete('flaky', b, null);
  });
});
