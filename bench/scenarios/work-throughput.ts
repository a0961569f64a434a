// Work end to end: offer, claim, complete with 4 workers (each its own kernel and connection) against raw publish/next/ack.
import type { ProjectWorkQueue } from '../../core/index.js';
import { core, workEventsPlugin, workQueuePlugin } from '../lib/layer.js';
import { freshProject, hexId } from '../lib/fabric.js';
import { createRawQueue } from '../lib/raw-work.js';
import { lanes } from '../lib/rounds.js';
import { row, type Scenario } from '../lib/scenario.js';

const WORKERS = 4;
const OFFER_CONCURRENCY = 16;

/** Runs the producer and the workers until every item of the round is done; latency = offer start → completion. */
async function endToEnd(items: number, offer: (workId: string) => Promise<unknown>, worker: (done: () => boolean, finish: (workId: string) => void) => Promise<void>): Promise<{ latenciesMs: number[]; ops: number }> {
  const started = new Map<string, number>();
  const latenciesMs: number[] = [];
  let finished = 0;
  let resolveAll!: () => void;
  const all = new Promise<void>((resolve) => (resolveAll = resolve));
  const finish = (workId: string) => {
    const t0 = started.get(workId);
    if (t0 !== undefined) latenciesMs.push(performance.now() - t0);
    if (++finished === items) resolveAll();
  };
  const done = () => finished >= items;
  const workers = Array.from({ length: WORKERS }, () => worker(done, finish));
  await lanes(items, OFFER_CONCURRENCY, async () => {
    const workId = `w-${hexId(8)}`;
    started.set(workId, performance.now());
    await offer(workId);
  });
  await all;
  await Promise.all(workers);
  return { latenciesMs, ops: items };
}

export const scenario: Scenario = {
  name: 'work-throughput',
  title: 'work end to end (offer, claim, complete), 4 workers',
  async run({ fabric, size, rounds, compare }) {
    const projectId = freshProject('e2e');
    const producer = await fabric.kernel([workEventsPlugin, workQueuePlugin], { projectId });
    const offers = producer.use(core.workQueueService).forProject(projectId);
    const workerQueues: Array<{ queue: ProjectWorkQueue; agentId: string }> = [];
    for (let i = 0; i < WORKERS; i++) {
      const kernel = await fabric.kernel([workEventsPlugin, workQueuePlugin], { projectId });
      workerQueues.push({ queue: kernel.use(core.workQueueService).forProject(projectId), agentId: kernel.identity.agentId });
    }
    const offer = (workId: string) => offers.offer({ workId, description: 'bench item', capability: 'bench', priority: 5, offeredBy: producer.identity.agentId, scope: 'team' });

    const rawProducer = await fabric.raw();
    const queue = await createRawQueue(rawProducer, 'e2e');
    const rawWorkers = await Promise.all(Array.from({ length: WORKERS }, async () => queue.puller(await fabric.raw())));

    const items = size(3000, 200);
    let w = 0;
    const result = await compare({
      ours: {
        run: () => {
          const abort = new AbortController();
          return endToEnd(
            items,
            offer,
            async (done, finish) => {
              const { queue: q, agentId } = workerQueues[w++ % WORKERS]!;
              while (!done()) {
                const claimed = await q.claim('bench', { agentId, timeoutMs: 2000, signal: abort.signal });
                if (!claimed) continue;
                await q.complete(claimed.item.workId, agentId, { ok: true });
                finish(claimed.item.workId);
                if (done()) abort.abort();
              }
            },
          );
        },
      },
      raw: {
        run: () => {
          // As on our side: the last item done stops every worker's waiting pull, so the round ends with it.
          const abort = new AbortController();
          return endToEnd(
            items,
            (workId) => rawProducer.js.publish(queue.subject, queue.payload(workId), { msgID: workId }),
            async (done, finish) => {
              const puller = rawWorkers[w++ % WORKERS]!;
              while (!done()) {
                const msg = await puller.next(1000, abort.signal);
                if (!msg) continue;
                msg.ack();
                finish(JSON.parse(msg.string()).workId as string);
                if (done()) abort.abort();
              }
            },
          );
        },
      },
    });
    return [
      row(
        {
          scenario: this.name,
          operation: 'work end to end (offer, claim, complete)',
          concurrency: WORKERS,
          rounds,
          rawDoes: 'js.publish with a message id; 4 workers loop a pull of one message over a reused inbox + ack on a work-queue stream',
          notes: [`${items} items per round, offered ${OFFER_CONCURRENCY} at a time while 4 workers (one connection each, in this process) claim and complete; latency = offer start → completed`],
        },
        result,
        [{ metric: 'ours.throughput', min: 5000 }],
      ),
    ];
  },
};
