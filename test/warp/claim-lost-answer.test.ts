// claim_work whose claim-record write times out: the delivery is neither handed out nor settled. It goes back to the
// queue at once, so the next claim gets it instead of waiting out a lease (5 min by default) that nobody holds, and the
// item's error history says why that attempt ended (not that a claimer died holding it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoomError, workQueueService, type Kernel } from '../../core/index.js';
import { workEventsPlugin } from '../../plugins/services/work-events/index.js';
import { workQueuePlugin } from '../../plugins/services/work-queue/index.js';
import { startLostAnswersKernel, type LostAnswer, type LostAnswers, type LostAnswersKernel } from '../fixtures/lost-answers-storage.js';

let fabric: LostAnswersKernel;
let kernel: Kernel;
let faults: LostAnswers;
const agentId = 'd'.repeat(32);

beforeAll(async () => {
  fabric = await startLostAnswersKernel({
    keys: (bucket) => bucket.startsWith('loom-work-history-'),
    plugins: [workEventsPlugin, workQueuePlugin],
    projectId: 'claim-lost',
    agentId,
    // A lease far longer than the second claim waits: the item can only come from the hand-back.
    options: { 'service:work-queue': { ackWaitMs: 60_000, claimPollMs: 100 } },
  });
  ({ kernel, faults } = fabric);
}, 60_000);

afterAll(() => fabric?.stop());

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
      expect(again!.item.errors).toEqual([{ at: expect.any(String), agentId, attempt: 1, error: expect.stringMatching(/^handed back before the claimer had it: LOOM_ERR_TIMEOUT/) }]);
      await queue.complete(workId, agentId, 'done');
      expect(await queue.completion(workId)).toMatchObject({ agentId, attempt: 2, result: 'done' });
    }, 30_000);
  }
});
