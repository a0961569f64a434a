// Work dispatch: a claimer is already waiting; time from the offer to the claimer holding the item.
import { setTimeout as sleep } from 'node:timers/promises';
import { core, workEventsPlugin, workQueuePlugin } from '../lib/layer.js';
import { freshProject, hexId } from '../lib/fabric.js';
import { createRawQueue } from '../lib/raw-work.js';
import { timedLanes } from '../lib/rounds.js';
import { row, type Scenario } from '../lib/scenario.js';

/** How long the claimer waits before the offer: long enough to be parked on its wake-up, not polling. */
const PARK_MS = 15;

export const scenario: Scenario = {
  name: 'work-dispatch',
  title: 'work dispatch: offer → a waiting claimer has it',
  async run({ fabric, size, rounds, compare }) {
    const projectId = freshProject('dispatch');
    const offerer = await fabric.kernel([workEventsPlugin, workQueuePlugin], { projectId });
    const claimer = await fabric.kernel([workEventsPlugin, workQueuePlugin], { projectId });
    const offers = offerer.use(core.workQueueService).forProject(projectId);
    const claims = claimer.use(core.workQueueService).forProject(projectId);
    const agentId = claimer.identity.agentId;
    const offer = (workId: string) => offers.offer({ workId, description: 'bench item', capability: 'bench', priority: 5, offeredBy: offerer.identity.agentId, scope: 'team' });
    // Creates the streams and consumers once, outside the measurement.
    await offer(`w-${hexId(6)}`);
    const first = await claims.claim('bench', { agentId, timeoutMs: 5000 });
    if (first) await claims.complete(first.item.workId, agentId, null);

    const rawOffer = await fabric.raw();
    const rawClaim = await fabric.raw();
    const queue = await createRawQueue(rawOffer, 'dispatch');
    const puller = queue.puller(rawClaim);

    const ops = size(200, 15);
    const result = await compare({
      ours: {
        run: () =>
          timedLanes(ops, 1, async () => {
            const claimed = claims.claim('bench', { agentId, timeoutMs: 10_000 });
            await sleep(PARK_MS);
            const t0 = performance.now();
            await offer(`w-${hexId(8)}`);
            const got = await claimed;
            const latency = performance.now() - t0;
            if (!got) throw new Error('the waiting claimer got nothing');
            await claims.complete(got.item.workId, agentId, null);
            return latency;
          }),
      },
      raw: {
        run: () =>
          timedLanes(ops, 1, async () => {
            const next = puller.next(10_000);
            await sleep(PARK_MS);
            const t0 = performance.now();
            const workId = `w-${hexId(8)}`;
            await rawOffer.js.publish(queue.subject, queue.payload(workId), { msgID: workId });
            const msg = await next;
            const latency = performance.now() - t0;
            if (!msg) throw new Error('the waiting raw pull got nothing');
            msg.ack();
            return latency;
          }),
      },
    });
    await Promise.all([offerer.stop(), claimer.stop()]);
    return [
      row(
        {
          scenario: this.name,
          operation: 'work dispatch (offer → waiting claim)',
          concurrency: 1,
          rounds,
          rawDoes: 'a waiting pull of one message (reused inbox) on a work-queue stream, then js.publish',
          notes: ['latency from the start of the offer to the claimer holding the item (includes the offer publish acknowledgement on both sides)'],
        },
        result,
        [
          { metric: 'ours.p50Ms', max: 0.5 },
          { metric: 'ours.p95Ms', max: 3 },
        ],
      ),
    ];
  },
};
