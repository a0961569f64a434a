// The work queue service against a real nats-server: bands, leases, dedupe, exactly-once completion and the DLQ.
import { until } from '../../core/testing/poll.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { createTestKernel } from '../../core/testing/kernel.js';
import { definePlugin, workEventsService, workQueueService, type Kernel, type LoomError, type WorkEvent, type WorkStateChange } from '../../core/index.js';
import { natsKvStorage } from '../../plugins/storage/nats-kv/index.js';
import { workEventsPlugin } from '../../plugins/services/work-events/index.js';
import { workQueuePlugin } from '../../plugins/services/work-queue/index.js';

let nats: NatsServerHandle;
let nc: NatsConnection;
const kernels: Kernel[] = [];

const changes: WorkStateChange[] = [];
const hookTap = definePlugin({
  name: 'test:work-hook',
  setup(ctx) {
    ctx.hooks.workStateChange.tap((change) => void changes.push(change));
  },
});

async function kernel(projectId: string, agentHex: string): Promise<Kernel> {
  const k = await createTestKernel({
    plugins: [natsKvStorage, workEventsPlugin, workQueuePlugin, hookTap],
    config: { nats: { url: nats.url }, options: { 'service:work-queue': { ackWaitMs: 1500, maxDeliver: 3, retryDelayMs: 50, claimPollMs: 100 } } },
    env: { LOOMINAL_PROJECT_ID: projectId, LOOMINAL_AGENT_ID: agentHex.repeat(32) },
  });
  kernels.push(k);
  return k;
}

const offer = (workId: string, priority = 5, capability = 'build') => ({ workId, description: `do ${workId}`, capability, priority, offeredBy: 'f'.repeat(32), scope: 'team' as const });

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
});

afterAll(async () => {
  for (const k of kernels) await k.stop();
  await nc?.close();
  await nats?.stop();
});

describe('work queue service', () => {
  it('hands higher-priority items out first and drops a duplicate offer inside the window', async () => {
    const k = await kernel('svc-priority', 'a');
    const queue = k.use(workQueueService).forProject('svc-priority');
    // Every level counts, not just coarse bands: 6 before 5, and first in, first out within one level.
    await queue.offer(offer('p2', 2));
    await queue.offer(offer('p5', 5));
    await queue.offer(offer('p6-first', 6));
    await queue.offer(offer('p9', 9));
    await queue.offer(offer('p6-second', 6));
    await queue.offer(offer('p10', 10));
    await queue.offer(offer('p1', 1));
    expect((await queue.offer(offer('p9', 9))).duplicate).toBe(true);
    const agentId = 'a'.repeat(32);
    const order: string[] = [];
    for (let i = 0; i < 7; i++) {
      const claimed = await queue.claim('build', { agentId, timeoutMs: 0 });
      order.push(claimed!.item.workId);
      await queue.complete(claimed!.item.workId, agentId, 'ok');
    }
    expect(order).toEqual(['p10', 'p9', 'p6-first', 'p6-second', 'p5', 'p2', 'p1']);
    expect(await queue.claim('build', { agentId, timeoutMs: 0 })).toBeNull();
  });

  it('a waiting claim returns as soon as an offer arrives, not after its timeout', async () => {
    const k = await kernel('svc-wait', 'b');
    const queue = k.use(workQueueService).forProject('svc-wait');
    const started = Date.now();
    const pending = queue.claim('build', { agentId: 'b'.repeat(32), timeoutMs: 20_000 });
    setTimeout(() => void queue.offer(offer('late-1', 1)), 300);
    const claimed = await pending;
    expect(claimed?.item.workId).toBe('late-1');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('completes exactly once and records who completed it', async () => {
    const k = await kernel('svc-once', 'c');
    const queue = k.use(workQueueService).forProject('svc-once');
    const agentId = 'c'.repeat(32);
    await queue.offer(offer('once-1'));
    const claimed = await queue.claim('build', { agentId, timeoutMs: 5000 });
    await queue.complete('once-1', agentId, { answer: 42 });
    await expect(queue.complete('once-1', agentId, { answer: 43 })).rejects.toThrow(/LOOM_ERR_CONFLICT/);
    expect(claimed?.item.attempt).toBe(1);
    expect(await queue.completion('once-1')).toMatchObject({ agentId, result: { answer: 42 } });
  });

  it('fails an item maxDeliver times into the DLQ with every error, then retries and discards dead letters', async () => {
    const k = await kernel('svc-dlq', 'd');
    const queue = k.use(workQueueService).forProject('svc-dlq');
    const events: WorkEvent[] = [];
    const sub = await k.use(workEventsService).follow({ projectId: 'svc-dlq', fromStart: true }, (e) => void events.push(e));
    const agentId = 'd'.repeat(32);
    await queue.offer(offer('doomed-1'));
    const outcomes: string[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const claimed = await queue.claim('build', { agentId, timeoutMs: 10_000 });
      expect(claimed?.item.attempt).toBe(attempt);
      expect(claimed?.item.errors).toHaveLength(attempt - 1);
      outcomes.push((await queue.fail('doomed-1', agentId, `boom ${attempt}`, true)).outcome);
    }
    expect(outcomes).toEqual(['retrying', 'retrying', 'dead-lettered']);
    expect(await queue.claim('build', { agentId, timeoutMs: 300 })).toBeNull();
    const { items } = await queue.listDeadLetters({ limit: 10 });
    expect(items).toHaveLength(1);
    expect(items[0]!.errors.map((e) => e.error)).toEqual(['boom 1', 'boom 2', 'boom 3']);
    const jsm = await jetstreamManager(nc);
    // The server removes an acked message from a work-queue stream a moment after it confirms the ack.
    await until(async () => (await jsm.streams.info('LOOM_SVC-DLQ_WORK')).state.messages === 0, 'the dead-lettered item to leave the work stream');

    await queue.retryDeadLetter(items[0]!.deadLetterId, { resetAttempts: true });
    expect((await queue.listDeadLetters({ limit: 10 })).items).toHaveLength(0);
    const again = await queue.claim('build', { agentId, timeoutMs: 5000 });
    expect(again?.item).toMatchObject({ workId: 'doomed-1', attempt: 1 });
    expect(again?.item.errors).toHaveLength(3);
    expect((await queue.fail('doomed-1', agentId, 'fatal', false)).outcome).toBe('dead-lettered');
    const [dead] = (await queue.listDeadLetters({ capability: 'build', limit: 10 })).items;
    await queue.discardDeadLetter(dead!.deadLetterId);
    expect((await queue.listDeadLetters({ limit: 10 })).items).toHaveLength(0);
    await expect(queue.discardDeadLetter(dead!.deadLetterId)).rejects.toThrow(/LOOM_ERR_NOT_FOUND/);
    const deadline = Date.now() + 5000;
    while (!events.some((e) => e.type === 'discarded') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await sub.stop();
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['offered', 'claimed', 'retrying', 'failed', 'dead-lettered', 'retried', 'discarded']));
  });

  // Listing pages by the consumer's num_pending: a page must never promise a next page that is empty, nor lose items
  // between pages, across capabilities and page sizes.
  it('pages dead letters of several capabilities by cursor: every item once, and no cursor after the last page', async () => {
    const k = await kernel('svc-dlq-pages', 'c');
    const queue = k.use(workQueueService).forProject('svc-dlq-pages');
    const agentId = 'c'.repeat(32);
    const ids: string[] = [];
    for (let i = 0; i < 9; i++) {
      const capability = ['build', 'lint', 'test'][i % 3]!;
      const workId = `page-${i}`;
      ids.push(workId);
      await queue.offer(offer(workId, 5, capability));
      expect((await queue.claim(capability, { agentId, timeoutMs: 5000 }))?.item.workId).toBe(workId);
      expect((await queue.fail(workId, agentId, 'fatal', false)).outcome).toBe('dead-lettered');
    }
    for (const limit of [1, 2, 4]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await queue.listDeadLetters({ limit, ...(cursor ? { cursor } : {}) });
        pages++;
        expect(page.items.length).toBeGreaterThan(0);
        seen.push(...page.items.map((item) => item.workId));
        cursor = page.nextCursor;
      } while (cursor && pages < 20);
      expect(seen).toEqual(ids);
      expect(pages).toBe(Math.ceil(ids.length / limit));
    }
    const lint = await queue.listDeadLetters({ capability: 'lint', limit: 2 });
    expect(lint.items.map((item) => item.workId)).toEqual(['page-1', 'page-4']);
    const rest = await queue.listDeadLetters({ capability: 'lint', limit: 2, cursor: lint.nextCursor! });
    expect(rest.items.map((item) => item.workId)).toEqual(['page-7']);
    expect(rest.nextCursor).toBeUndefined();
  }, 60_000);

  it('gives an item whose lease ran out to the next claimer, and dead-letters it when the last holder dies', async () => {
    const k = await kernel('svc-lease', 'e');
    const queue = k.use(workQueueService).forProject('svc-lease');
    const [a, b, c] = ['1', '2', '3'].map((h) => h.repeat(32)) as [string, string, string];
    await queue.offer(offer('lost-1'));
    expect((await queue.claim('build', { agentId: a, timeoutMs: 0 }))?.item.attempt).toBe(1);
    // a never answers: after the lease the item comes back
    const second = await queue.claim('build', { agentId: b, timeoutMs: 10_000 });
    expect(second?.item).toMatchObject({ workId: 'lost-1', attempt: 2 });
    expect(second?.item.errors[0]).toMatchObject({ agentId: a, attempt: 1 });
    expect((await queue.claim('build', { agentId: c, timeoutMs: 10_000 }))?.item.attempt).toBe(3);
    // the third holder dies too: the next claim finds nothing to hand out and the DLQ has the item with three errors
    expect(await queue.claim('build', { agentId: a, timeoutMs: 4000 })).toBeNull();
    const { items } = await queue.listDeadLetters({ limit: 5 });
    expect(items).toHaveLength(1);
    expect(items[0]!.errors.map((e) => e.agentId)).toEqual([a, b, c]);
  });

  it('calls the workStateChange hook, counts waiting items per capability, and cancels a waiting item for good', async () => {
    const k = await kernel('svc-misc', '9');
    const queue = k.use(workQueueService).forProject('svc-misc');
    const agentId = '9'.repeat(32);
    await queue.offer(offer('count-1', 5, 'build'));
    await queue.offer(offer('count-2', 9, 'build'));
    await queue.offer(offer('count-3', 1, 'lint'));
    expect(await queue.depth()).toEqual({ build: 2, lint: 1 });
    expect(await queue.cancel!('count-2')).toEqual({ removed: true });
    expect(await queue.cancel!('count-2')).toEqual({ removed: false });
    const next = await queue.claim(['build', 'lint'], { agentId, timeoutMs: 0 });
    expect(next?.item.workId).toBe('count-1');
    await queue.complete('count-1', agentId, 'ok');
    expect((await queue.claim(['build', 'lint'], { agentId, timeoutMs: 0 }))?.item.workId).toBe('count-3');
    await expect(queue.complete('count-2', agentId, 'late')).rejects.toThrow(/LOOM_ERR_CONFLICT: work count-2 was cancelled/);
    expect(changes.filter((c) => c.projectId === 'svc-misc').map((c) => `${c.workId}:${c.state}`)).toEqual(
      expect.arrayContaining(['count-1:offered', 'count-1:claimed', 'count-1:completed', 'count-3:claimed']),
    );
  });

  it('an item cancelled by another process while held here is refused on completion, and its holder can settle it for good', async () => {
    const holderKernel = await kernel('svc-cancel-held', '6');
    const weftKernel = await kernel('svc-cancel-held', '5');
    const holder = holderKernel.use(workQueueService).forProject('svc-cancel-held');
    const weft = weftKernel.use(workQueueService).forProject('svc-cancel-held');
    const agentId = '6'.repeat(32);
    await holder.offer(offer('held-1'));
    await holder.offer(offer('held-2'));
    // Cancelled while its command runs: the holder settles it when told (loom agent, on weft's control request).
    expect((await holder.claim('build', { agentId, timeoutMs: 0 }))?.item.workId).toBe('held-1');
    expect(await weft.cancel!('held-1')).toEqual({ removed: true });
    expect(holder.held()).toEqual(['held-1']);
    expect(await holder.cancel!('held-1')).toEqual({ removed: true });
    expect(holder.held()).toEqual([]);
    // Cancelled, and the holder finishes anyway: the completion is refused, marked as a cancellation, and settled.
    expect((await holder.claim('build', { agentId, timeoutMs: 0 }))?.item.workId).toBe('held-2');
    await weft.cancel!('held-2');
    const refused = await holder.complete('held-2', agentId, 'late').catch((err: unknown) => err as LoomError);
    expect(refused).toMatchObject({ code: 'LOOM_ERR_CONFLICT', details: { workId: 'held-2', cancelled: true } });
    expect(holder.held()).toEqual([]);
    // Both acked, not left for their lease (1.5 s) to lapse: nothing is redelivered to anyone.
    expect(await holder.claim('build', { agentId, timeoutMs: 3000 })).toBeNull();
    expect(await holder.depth()).toEqual({});
  });

  it('a durable follower of work events resumes after a restart with the events it missed', async () => {
    const k = await kernel('svc-follow', '8');
    const queue = k.use(workQueueService).forProject('svc-follow');
    const events = k.use(workEventsService);
    const seen: string[] = [];
    const first = await events.follow({ projectId: 'svc-follow', durable: 'tracker' }, (e) => void seen.push(`${e.workId}:${e.type}`));
    await queue.offer(offer('follow-1'));
    const deadline = Date.now() + 5000;
    while (!seen.includes('follow-1:offered') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    await first.stop();
    await queue.offer(offer('follow-2'));
    const resumed: string[] = [];
    const second = await events.follow({ projectId: 'svc-follow', durable: 'tracker' }, (e) => void resumed.push(`${e.workId}:${e.type}`));
    const until = Date.now() + 5000;
    while (!resumed.includes('follow-2:offered') && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    await second.stop();
    expect(seen).toEqual(['follow-1:offered']);
    expect(resumed).toEqual(['follow-2:offered']);
  });

  it('publishes work events in the order they happened, the last ones too when the process stops right after', async () => {
    const k = await kernel('svc-order', '6');
    const queue = k.use(workQueueService).forProject('svc-order');
    const agentId = '6'.repeat(32);
    await queue.offer(offer('order-1'));
    const claimed = await queue.claim('build', { agentId, timeoutMs: 5000 });
    expect(claimed?.item.workId).toBe('order-1');
    await queue.complete('order-1', agentId, { ok: true });
    await queue.offer(offer('order-2'));
    // Events go out on the next turn of the event loop: a stop in this turn still publishes them.
    await k.stop();
    const reader = await kernel('svc-order', '5');
    const seen: string[] = [];
    const follower = await reader.use(workEventsService).follow({ projectId: 'svc-order', fromStart: true }, (e) => void seen.push(`${e.workId}:${e.type}`));
    await until(() => seen.length >= 4, 'four work events', 10_000);
    await follower.stop();
    expect(seen).toEqual(['order-1:offered', 'order-1:claimed', 'order-1:completed', 'order-2:offered']);
  });

  it('creates a work consumer again when it was deleted under a running process', async () => {
    const k = await kernel('svc-heal', '7');
    const queue = k.use(workQueueService).forProject('svc-heal');
    await queue.offer(offer('heal-1'));
    const jsm = await jetstreamManager(nc);
    await jsm.consumers.delete('LOOM_SVC-HEAL_WORK', 'work-build-5');
    const claimed = await queue.claim('build', { agentId: '7'.repeat(32), timeoutMs: 10_000 });
    expect(claimed?.item.workId).toBe('heal-1');
  });
});
