// The durable events consumer weft's tracker (and shuttle) follow: events a killed follower fetched but never acked
// reach the next follower within seconds (a short ack wait), not half a minute later, and a durable made with the
// old 30 s limits is brought to the new ones in place, keeping its position.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckPolicy, DeliverPolicy, jetstreamManager, jetstream } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { createNames, workEventsService, type Kernel, type WorkEvent } from '../../core/index.js';
import { workEventsPlugin } from '../../plugins/services/work-events/index.js';
import { startNatsKernel, type NatsKernel } from '../fixtures/nats-kernel.js';
import { waitFor } from './harness.js';

const PROJECT = 'events-handover';
const names = createNames(PROJECT);
const DURABLE = names.workEventsConsumer('handover');
let fabric: NatsKernel;
let nc: NatsConnection;
let kernel: Kernel;

beforeAll(async () => {
  fabric = await startNatsKernel({ plugins: [workEventsPlugin], projectId: PROJECT, agentId: 'e'.repeat(32) });
  ({ nc, kernel } = fabric);
});
afterAll(() => fabric?.stop());

const event = (i: number): WorkEvent => ({ type: 'offered', projectId: PROJECT, workId: `item-${i}`, capability: 'build', at: new Date().toISOString() });

describe('the durable work-events consumer', () => {
  it('hands the events a killed follower held to the next one within seconds, and updates an old durable in place', async () => {
    const events = kernel.use(workEventsService);
    await events.publish(event(0)); // makes the stream
    const jsm = await jetstreamManager(nc);
    // A durable as the old code made it: 30 s ack wait, no cap on events out at once.
    await jsm.consumers.add(names.eventsStream, { durable_name: DURABLE, filter_subject: names.workEventsWildcard, deliver_policy: DeliverPolicy.All, ack_policy: AckPolicy.Explicit, max_deliver: 10, ack_wait: nanos(30_000) });
    const seen: string[] = [];
    const first = await events.follow({ projectId: PROJECT, durable: 'handover', fromStart: true }, (e) => void seen.push(e.workId));
    await waitFor(() => seen.includes('item-0'), 'the first follower to get the first event');
    await first.stop();
    const config = (await jsm.consumers.info(names.eventsStream, DURABLE)).config;
    expect(config.ack_wait).toBe(nanos(5_000));
    expect(config.max_ack_pending).toBeGreaterThan(0);
    expect(config.max_ack_pending).toBeLessThanOrEqual(64);

    for (let i = 1; i <= 10; i++) await events.publish(event(i));
    // The killed leader: it fetched every event and died before acking any.
    const fetched = await (await jetstream(nc).consumers.get(names.eventsStream, DURABLE)).fetch({ max_messages: 10, expires: 2_000 });
    let held = 0;
    for await (const _msg of fetched) held++;
    expect(held).toBe(10);

    const startedAt = Date.now();
    const next: string[] = [];
    const second = await events.follow({ projectId: PROJECT, durable: 'handover', fromStart: true }, (e) => void next.push(e.workId));
    await waitFor(() => next.length >= 10, 'the next follower to get the events the killed one held', 25_000);
    const elapsed = Date.now() - startedAt;
    await second.stop();
    expect(elapsed).toBeLessThan(15_000);
    // It resumed where the first stopped: item-0 was acked and does not come again.
    expect([...new Set(next)].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `item-${i + 1}`).sort());
  });
});
