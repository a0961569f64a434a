// Following work events with concurrency: different work ids are handled at once, one work id's events strictly in
// order, and every event is acked only after its handler finished (stop waits for the handlers still running).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jetstreamManager } from '@nats-io/jetstream';
import { createNames, workEventsService, type Kernel, type WorkEvent } from '../../core/index.js';
import { workEventsPlugin } from '../../plugins/services/work-events/index.js';
import { startNatsKernel, type NatsKernel } from '../fixtures/nats-kernel.js';
import { waitFor } from './harness.js';

const PROJECT = 'events-parallel';
const names = createNames(PROJECT);
let fabric: NatsKernel;
let kernel: Kernel;

beforeAll(async () => {
  fabric = await startNatsKernel({ plugins: [workEventsPlugin], projectId: PROJECT, agentId: 'e'.repeat(32) });
  ({ kernel } = fabric);
});
afterAll(() => fabric?.stop());

const event = (workId: string, type: WorkEvent['type']): WorkEvent => ({ type, projectId: PROJECT, workId, capability: 'build', at: new Date().toISOString() });
const TYPES: WorkEvent['type'][] = ['offered', 'claimed', 'completed'];

describe('following work events with concurrency', () => {
  it('handles different work ids at once and one work id in order, acking each event after its handler', async () => {
    const events = kernel.use(workEventsService);
    const ids = Array.from({ length: 8 }, (_, i) => `item-${i}`);
    for (const type of TYPES) for (const id of ids) await events.publish(event(id, type));

    let running = 0;
    let most = 0;
    const seen = new Map<string, string[]>();
    const outOfOrder: string[] = [];
    const follower = await events.follow({ projectId: PROJECT, durable: 'parallel', fromStart: true, concurrency: 8 }, async (e) => {
      running++;
      most = Math.max(most, running);
      const mine = seen.get(e.workId) ?? [];
      // The previous event of this work id must be done before this one starts.
      if (mine.length !== TYPES.indexOf(e.type)) outOfOrder.push(`${e.workId}: ${e.type} after ${mine.join(',')}`);
      await new Promise((resolve) => setTimeout(resolve, 30));
      mine.push(e.type);
      seen.set(e.workId, mine);
      running--;
    });
    await waitFor(() => [...seen.values()].reduce((sum, list) => sum + list.length, 0) === ids.length * TYPES.length, 'every event handled');
    await follower.stop();

    expect(outOfOrder).toEqual([]);
    for (const id of ids) expect(seen.get(id)).toEqual(TYPES);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(8);
    const info = await (await jetstreamManager(fabric.nc)).consumers.info(names.eventsStream, names.workEventsConsumer('parallel'));
    expect(info.num_ack_pending).toBe(0);
    expect(info.num_pending).toBe(0);
  });

  it('waits at stop for a handler still running and acks its event, so the next follower does not get it again', async () => {
    const events = kernel.use(workEventsService);
    await events.publish(event('slow-1', 'offered'));
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    const first = await events.follow({ projectId: PROJECT, durable: 'handover-parallel', fromStart: true, concurrency: 4 }, async (e) => {
      if (e.workId !== 'slow-1') return;
      started = true;
      await blocked;
    });
    await waitFor(() => started, 'the slow handler to start');
    let stopped = false;
    const stopping = first.stop().then(() => (stopped = true));
    // stop() must still be waiting for the handler, however long it runs.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stopped).toBe(false);
    release();
    await stopping;
    // And its event was acked before stop() returned.
    const info = await (await jetstreamManager(fabric.nc)).consumers.info(names.eventsStream, names.workEventsConsumer('handover-parallel'));
    expect(info.num_ack_pending).toBe(0);

    const next: string[] = [];
    const second = await events.follow({ projectId: PROJECT, durable: 'handover-parallel', fromStart: true, concurrency: 4 }, (e) => void next.push(e.workId));
    await events.publish(event('after-1', 'offered'));
    await waitFor(() => next.includes('after-1'), 'the next follower to get a new event');
    await second.stop();
    // The slow event was acked once its handler finished (stop waited for it): the next follower does not get it again.
    expect(next.filter((id) => id === 'slow-1')).toEqual([]);
  });
});
