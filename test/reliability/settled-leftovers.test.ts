// After nats-server is SIGKILLed while items are being completed, the work-queue stream keeps messages its consumer had
// already acked (2.9 recovers the consumer's acks but not the deletes): never delivered again, yet counted as queued.
// depth() must not report them, and the queue must drain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { createTestKernel } from '../../core/testing/kernel.js';
import { createNames, natsService, workQueueService, type Kernel, type ProjectWorkQueue } from '../../core/index.js';
import { natsKvStorage } from '../../plugins/storage/nats-kv/index.js';
import { registryServicePlugin } from '../../plugins/services/registry/index.js';
import { workEventsPlugin } from '../../plugins/services/work-events/index.js';
import { workQueuePlugin } from '../../plugins/services/work-queue/index.js';
import { offer } from './support/worker-fleet.js';
import { readStream } from './support/stream-read.js';
import { jetStreamAnswers } from './support/fabric.js';

const PROJECT = 'leftovers';
const AGENT = 'a'.repeat(32);
let nats: NatsServerHandle;
let kernel: Kernel;
let queue: ProjectWorkQueue;

beforeAll(async () => {
  nats = await startNatsServer();
  kernel = await createTestKernel({ plugins: [natsKvStorage, registryServicePlugin, workEventsPlugin, workQueuePlugin], config: { nats: { url: nats.url } }, env: { LOOMINAL_PROJECT_ID: PROJECT, LOOMINAL_ACK_WAIT_MS: '1000', LOOMINAL_CLAIM_POLL_MS: '50' } });
  queue = kernel.use(workQueueService).forProject(PROJECT);
});

afterAll(async () => {
  await kernel?.stop();
  await nats?.stop();
});

/** Three claimers complete items until the broker dies under them. */
async function completeUntilKilled(atLeast: number): Promise<void> {
  let stop = false;
  const claimers = [1, 2, 3].map(async () => {
    while (!stop) {
      const claimed = await queue.claim('crunch', { agentId: AGENT, timeoutMs: 200 }).catch(() => null);
      if (!claimed) continue;
      await new Promise((resolve) => setTimeout(resolve, 20));
      await queue.complete(claimed.item.workId, AGENT, 'ok').catch(() => undefined);
    }
  });
  // Kill while completions (and their acks) are streaming in: after a tenth of them or so.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const done = (await Promise.all(Array.from({ length: 40 }, (_, i) => queue.completion(`w${i}`)))).filter(Boolean).length;
    if (done >= atLeast || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await nats.kill();
  stop = true;
  // Calls in flight finish (or fail) once the server is back; waiting for them first would only add timeouts.
  await nats.restart();
  await Promise.all(claimers);
}

describe('a broker killed while items are being completed', () => {
  it('leaves no completed item counted as queued, and the work stream drains', async () => {
    for (let i = 0; i < 40; i++) await queue.offer(offer(`w${i}`, 'crunch'));
    // Two crashes: each leaves acked-but-stored messages behind in most runs (how many depends on timing).
    await completeUntilKilled(4);
    await jetStreamAnswers(await kernel.use(natsService).manager());
    await completeUntilKilled(14);
    await jetStreamAnswers(await kernel.use(natsService).manager());
    // Whatever the crash left waiting is claimed and completed now.
    for (;;) {
      const claimed = await queue.claim('crunch', { agentId: AGENT, timeoutMs: 2500 }).catch(() => 'retry' as const);
      if (claimed === 'retry') continue;
      if (!claimed) break;
      await queue.complete(claimed.item.workId, AGENT, 'ok');
    }
    const ids = Array.from({ length: 40 }, (_, i) => `w${i}`);
    // Deliveries burnt by the crashes may have sent an item to the dead-letter queue; every one is settled either way.
    const dead = new Set((await queue.listDeadLetters({ limit: 100 })).items.map((item) => item.workId));
    const done = await Promise.all(ids.map((id) => queue.completion(id)));
    expect(ids.filter((id, i) => !done[i] && !dead.has(id))).toEqual([]);
    expect(await queue.depth()).toEqual({});
    expect(await readStream(await kernel.use(natsService).connection(), createNames(PROJECT).workStream)).toEqual([]);
  });
});
