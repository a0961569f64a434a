// complete_work whose completion write times out: the agent calls complete again, as the error tells it to. If the
// first write did land, that second call is this agent's own completion, not a second one: it succeeds, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoomError, workEventsService, workQueueService, type Kernel, type WorkEvent } from '../../core/index.js';
import { until } from '../../core/testing/poll.js';
import { workEventsPlugin } from '../../plugins/services/work-events/index.js';
import { workQueuePlugin } from '../../plugins/services/work-queue/index.js';
import { startLostAnswersKernel, type LostAnswer, type LostAnswers, type LostAnswersKernel } from '../fixtures/lost-answers-storage.js';

let fabric: LostAnswersKernel;
let kernel: Kernel;
let faults: LostAnswers;
const events: WorkEvent[] = [];
const agentId = 'c'.repeat(32);

beforeAll(async () => {
  fabric = await startLostAnswersKernel({
    keys: (bucket) => bucket.startsWith('loom-completions-'),
    plugins: [workEventsPlugin, workQueuePlugin],
    projectId: 'complete-lost',
    agentId,
    options: { 'service:work-queue': { ackWaitMs: 5000, claimPollMs: 100 } },
  });
  ({ kernel, faults } = fabric);
  await kernel.use(workEventsService).follow({ projectId: 'complete-lost', durable: 'test-complete-lost', fromStart: true }, (event) => void events.push(event));
}, 60_000);

afterAll(() => fabric?.stop());

const code = (err: unknown) => (err instanceof LoomError ? err.code : String(err));

describe('a completion whose write times out', () => {
  for (const [fault, workId] of [
    ['lands, answer lost', 'lost-1'],
    ['times out, not written', 'lost-2'],
    ['lands after its timeout', 'lost-3'],
  ] as [LostAnswer, string][]) {
    it(`completes exactly once when the agent calls again after the write ${fault}`, async () => {
      const queue = kernel.use(workQueueService).forProject('complete-lost');
      await queue.offer({ workId, description: `do ${workId}`, capability: 'build', priority: 5, offeredBy: 'f'.repeat(32), scope: 'team' });
      const claimed = await queue.claim('build', { agentId, timeoutMs: 5000 });
      expect(claimed?.item.workId).toBe(workId);

      faults.next = fault;
      expect(await queue.complete(workId, agentId, { try: 1 }).then(() => 'ok', code)).toBe('LOOM_ERR_TIMEOUT');
      await queue.complete(workId, agentId, { try: 2 });
      // The retry got there first: the late write can no longer replace it.
      if (fault === 'lands after its timeout') await expect(faults.lateWrite).rejects.toMatchObject({ code: 'LOOM_ERR_CONFLICT' });

      const completion = await queue.completion(workId);
      expect(completion).toMatchObject({ agentId, result: { try: fault === 'lands, answer lost' ? 1 : 2 } });
      // Settled: a third call is the refusal of a second completion, and the item is not handed out again.
      expect(await queue.complete(workId, agentId, { try: 3 }).then(() => 'ok', code)).toBe('LOOM_ERR_CONFLICT');
      expect(await queue.claim('build', { agentId, timeoutMs: 300 })).toBeNull();
      await until(() => events.some((e) => e.workId === workId && e.type === 'completed'), `the completed event of ${workId}`, 10_000);
      expect(events.filter((e) => e.workId === workId && e.type === 'completed')).toHaveLength(1);
    }, 30_000);
  }
});
