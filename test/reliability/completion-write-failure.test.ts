// complete() whose completion record could not be written (broker gone, bucket unavailable) must not ack the delivery:
// the item comes back after its lease, instead of vanishing with neither a completion nor a dead letter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { createNames, workQueueService, type Kernel } from '../../core/index.js';
import { registryServicePlugin } from '../../plugins/services/registry/index.js';
import { workEventsPlugin } from '../../plugins/services/work-events/index.js';
import { workQueuePlugin } from '../../plugins/services/work-queue/index.js';
import { startNatsKernel, type NatsKernel } from '../fixtures/nats-kernel.js';
import { offer } from './support/worker-fleet.js';

const PROJECT = 'write-failure';
const AGENT = 'c'.repeat(32);
const names = createNames(PROJECT);
let fabric: NatsKernel;
let nc: NatsConnection;
let kernel: Kernel;

beforeAll(async () => {
  fabric = await startNatsKernel({ plugins: [registryServicePlugin, workEventsPlugin, workQueuePlugin], projectId: PROJECT, env: { LOOMINAL_ACK_WAIT_MS: '800', LOOMINAL_CLAIM_POLL_MS: '50' } });
  ({ nc, kernel } = fabric);
});

afterAll(() => fabric?.stop());

describe('a completion record that cannot be written', () => {
  it('fails complete() and leaves the item to come back, not acked away', async () => {
    const queue = kernel.use(workQueueService).forProject(PROJECT);
    await queue.offer(offer('fragile', 'write'));
    const first = await queue.claim('write', { agentId: AGENT, timeoutMs: 3000 });
    expect(first?.item.attempt).toBe(1);
    expect(await queue.completion('fragile')).toBeNull();
    // The completions bucket goes away under the claimer (as when the broker is gone): the record cannot be written.
    await (await jetstreamManager(nc)).streams.delete(`KV_${names.completionsBucket}`);
    await expect(queue.complete('fragile', AGENT, 'result')).rejects.toThrow();
    // The claimer still holds it (it may call complete again within the lease); when the lease runs out unsettled,
    // the item must still be there for the next claim.
    expect(queue.held()).toContain('fragile');
    await new Kvm(nc).create(names.completionsBucket, { history: 1 });
    const again = await queue.claim('write', { agentId: AGENT, timeoutMs: 5000 });
    expect(again?.item.workId).toBe('fragile');
    expect(again?.item.attempt).toBe(2);
    await queue.complete('fragile', AGENT, 'result');
    expect(await queue.completion('fragile')).toMatchObject({ result: 'result', attempt: 2 });
  });
});
