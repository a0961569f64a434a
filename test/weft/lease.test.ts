// The HA lease on a real NATS KV bucket: one holder at a time, renewal, takeover after a lapse, release on stop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKernel } from '../../core/testing/kernel.js';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { createSilentLogger } from '../../core/log.js';
import { projectIdFromStreamName, projectStreamOf, storageService, type Kernel } from '../../core/index.js';
import { natsKvStorage } from '../../plugins/storage/nats-kv/index.js';
import { createLease, type Lease, type LeaseValue } from '../../plugins/weft/coordinator/lease.js';
import { waitFor } from './harness.js';

let nats: NatsServerHandle;
let kernel: Kernel;

beforeAll(async () => {
  nats = await startNatsServer();
  kernel = await createTestKernel({ plugins: [natsKvStorage], config: { nats: { url: nats.url }, storage: 'nats-kv' } });
});
afterAll(async () => {
  await kernel?.stop();
  await nats?.stop();
});

function lease(instanceId: string, ttlMs: number, changes: boolean[] = []): Lease {
  return createLease({ bucket: () => kernel.use(storageService).openBucket({ name: 'weft-test-lease' }), key: 'leader', instanceId, ttlMs, renewMs: Math.floor(ttlMs / 3), log: createSilentLogger(), onChange: (held) => changes.push(held) });
}

describe('weft HA lease', () => {
  it('is held by one instance at a time and renewed while it runs', async () => {
    const a = lease('a', 900);
    const b = lease('b', 900);
    await a.start();
    await waitFor(() => a.isHeld(), 'a to hold the lease');
    await b.start();
    for (let i = 0; i < 10; i++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect([a.isHeld(), b.isHeld()]).toEqual([true, false]); // 1.5 s: longer than the ttl, so a must have renewed
    }
    expect(b.holder()).toBe('a');
    await a.stop();
    await waitFor(() => b.isHeld(), 'b to take over at once after a released the lease', 2_000);
    expect(a.isHeld()).toBe(false);
    await b.stop();
  });

  it('is taken over once a holder stops renewing and its lease lapses', async () => {
    const bucket = await kernel.use(storageService).openBucket({ name: 'weft-test-lease' });
    const dead: LeaseValue = { holder: 'crashed', expiresAt: Date.now() + 600, acquiredAt: Date.now() };
    const existing = await bucket.get<LeaseValue>('leader');
    if (existing) await bucket.update('leader', dead, existing.revision);
    else await bucket.create('leader', dead);
    const changes: boolean[] = [];
    const c = lease('c', 900, changes);
    await c.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(c.isHeld()).toBe(false);
    await waitFor(() => c.isHeld(), 'c to take the lapsed lease', 3_000);
    expect((await bucket.get<LeaseValue>('leader'))?.value.holder).toBe('c');
    expect(changes).toEqual([true]);
    await c.stop();
    expect(changes).toEqual([true, false]);
  });
});

describe('project discovery names', () => {
  it('reads the projectId from loom stream and weft bucket names, and nothing else', () => {
    expect(projectIdFromStreamName('LOOM_MY-PROJ_WORK')).toBe('my-proj');
    expect(projectIdFromStreamName('LOOM_A_B_EVENTS')).toBe('a_b');
    expect(projectIdFromStreamName('KV_weft-team-1-work')).toBe('team-1');
    expect(projectIdFromStreamName('LOOM_PUBLIC_WORK')).toBeUndefined();
    expect(projectIdFromStreamName('LOOM_X_CH_ROADMAP')).toBeUndefined();
    expect(projectIdFromStreamName('KV_loom-registry-x')).toBeUndefined();
    expect(projectIdFromStreamName('ORDERS')).toBeUndefined();
    expect(projectStreamOf('LOOM_P1_EVENTS')).toEqual({ projectId: 'p1', kind: 'events' });
    expect(projectStreamOf('KV_weft-p1-assignments')).toEqual({ projectId: 'p1', kind: 'weft' });
    expect(projectStreamOf('LOOM_P1_CHANNELS')).toEqual({ projectId: 'p1', kind: 'channels' });
    expect(projectStreamOf('KV_weft-global-lease')).toBeUndefined();
  });
});
