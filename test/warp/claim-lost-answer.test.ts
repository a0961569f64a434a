// claim_work whose claim-record write times out: the delivery is neither handed out nor settled. It goes back to the
// queue at once, so the next claim gets it instead of waiting out a lease (5 min by default) that nobody holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoomError, workQueueService, type Kernel } from '../../core/index.js';
import { createTestKernel } from '../../core/testing/kernel.js';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { workEventsPlugin } from '../../plugins/services/work-events/index.js';
import { workQueuePlugin } from '../../plugins/services/work-queue/index.js';
import { createLostAnswersStorage, type LostAnswer, type LostAnswers } from '../fixtures/lost-answers-storage.js';

const faults: LostAnswers = { next: undefined, keys: (bucket) => bucket.startsWith('loom-work-history-'), writes: 0 };
let nats: NatsServerHandle;
let kernel: Kernel;
const agentId = 'd'.repeat(32);

beforeAll(async () => {
  nats = await startNatsServer();
  kernel = await createTestKernel({
    plugins: [createLostAnswersStorage(faults), workEventsPlugin, workQueuePlugin],
    // A lease far longer than the second claim waits: the item can only come from the hand-back.
    config: { storage: 'lost-answers', nats: { url: nats.url }, options: { 'service:work-queue': { ackWaitMs: 60_000, claimPollMs: 100 } } },
    env: { LOOMINAL_PROJECT_ID: 'claim-lost', LOOMINAL_AGENT_ID: agentId },
  });
}, 60_000);

afterAll(async () => {
  await kernel?.stop();
  await nats?.stop();
});

const code = (err: unknown) => (err instanceof LoomError ? err.code : String(err));

describe('a claim whose record write times out', () => {
  for (const [fault, workId] of [
    ['times out, not written', 'claim-1'],
    ['lands, answer lost', 'claim-2'],
  ] as [LostAnswer, string][]) {
    it(`hands the item to the next claim at once when the write ${fault}`, async () => {
      const queue = kernel.use(workQueueService).forProject('claim-lost');
      await queue.offer({ workId, description: `do ${workId}`, capability: 'build', priority: 5, offeredBy: 'f'.repeat(32), scope: 'team' });
      faults.next = fault;
      expect(await queue.claim('build', { agentId, timeoutMs: 5000 }).then(() => 'claimed', code)).toBe('LOOM_ERR_TIMEOUT');

      const again = await queue.claim('build', { agentId, timeoutMs: 3000 });
      expect(again?.item).toMatchObject({ workId, attempt: 2 });
      await queue.complete(workId, agentId, 'done');
      expect(await queue.completion(workId)).toMatchObject({ agentId, attempt: 2, result: 'done' });
    }, 30_000);
  }
});
