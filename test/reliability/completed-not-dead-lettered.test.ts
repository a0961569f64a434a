// A work item completed on its last allowed delivery whose ack was lost (the claimer died right after recording the
// completion) must be dropped at its next delivery, never dead-lettered too: completed or dead-lettered, not both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { createTestKernel } from '../../core/testing/kernel.js';
import { createNames, storageService, workQueueService, type Kernel, type WorkCompletion } from '../../core/index.js';
import { natsKvStorage } from '../../plugins/storage/nats-kv/index.js';
import { registryServicePlugin } from '../../plugins/services/registry/index.js';
import { workEventsPlugin } from '../../plugins/services/work-events/index.js';
import { workQueuePlugin } from '../../plugins/services/work-queue/index.js';
import { offer } from './support/worker-fleet.js';

const PROJECT = 'lost-ack';
const ENV = { LOOMINAL_PROJECT_ID: PROJECT, LOOMINAL_ACK_WAIT_MS: '600', LOOMINAL_MAX_DELIVER: '1', LOOMINAL_CLAIM_POLL_MS: '50', LOOMINAL_RETRY_DELAY_MS: '10' };

let nats: NatsServerHandle;
const kernels: Kernel[] = [];

async function kernel(agentDigit: string): Promise<Kernel> {
  const k = await createTestKernel({ plugins: [natsKvStorage, registryServicePlugin, workEventsPlugin, workQueuePlugin], config: { nats: { url: nats.url } }, env: { ...ENV, LOOMINAL_AGENT_ID: agentDigit.repeat(32) } });
  kernels.push(k);
  return k;
}

beforeAll(async () => {
  nats = await startNatsServer();
});

afterAll(async () => {
  for (const k of kernels) await k.stop().catch(() => undefined);
  await nats?.stop();
});

describe('a completion whose ack was lost on the last allowed delivery', () => {
  it('is dropped at the next delivery and never reaches the dead-letter queue', async () => {
    const first = await kernel('1');
    const queue = first.use(workQueueService).forProject(PROJECT);
    await queue.offer(offer('last-try', 'finish'));
    const claimed = await queue.claim('finish', { agentId: '1'.repeat(32), timeoutMs: 5000 });
    expect(claimed?.item.workId).toBe('last-try');
    // What completeHeld writes before it acks; then the claimer dies, so the ack never goes out.
    const completions = await first.use(storageService).openBucket({ name: createNames(PROJECT).completionsBucket, ttlMs: 7 * 24 * 3600_000 });
    const record: WorkCompletion = { workId: 'last-try', agentId: '1'.repeat(32), result: 'done', completedAt: new Date().toISOString(), attempt: 1 };
    await completions.create('last-try', record);
    await first.stop();

    const second = await kernel('2');
    const next = second.use(workQueueService).forProject(PROJECT);
    // The lease runs out (600 ms); the redelivery is past maxDeliver (1), which used to dead-letter it regardless.
    expect(await next.claim('finish', { agentId: '2'.repeat(32), timeoutMs: 3000 })).toBeNull();
    expect((await next.listDeadLetters({ limit: 10 })).items).toEqual([]);
    expect(await next.completion('last-try')).toMatchObject({ agentId: '1'.repeat(32), result: 'done' });
    expect(Object.values(await next.depth()).reduce((a, b) => a + b, 0)).toBe(0);
  });
});
