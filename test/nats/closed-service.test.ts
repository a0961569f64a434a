// A closed NATS service stays closed: work still in flight when a kernel stops (an inbox follower starting, a
// heartbeat) used to open a fresh connection that nobody closed, and that kept the process alive.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { natsConfigSchema } from '../../core/config/schema.js';
import { createLogger } from '../../core/log.js';
import { createNatsService } from '../../core/nats/connection.js';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { until } from '../../core/testing/poll.js';
import { createTestKernel } from '../../core/testing/kernel.js';
import { warpPreset } from '../../presets/warp.js';

const log = createLogger({ level: 'silent', component: 'closed-service' });
const sockets = () => process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap').length;
let nats: NatsServerHandle;

beforeAll(async () => {
  nats = await startNatsServer();
}, 60_000);
afterAll(async () => {
  await nats?.stop();
});

describe('a closed NATS service', () => {
  it('refuses every later use with LOOM_ERR_UNAVAILABLE and opens no new connection', async () => {
    const before = sockets();
    const service = createNatsService({ config: natsConfigSchema.parse({ url: nats.url }), env: {}, log, name: 'closed-service' });
    await service.manager();
    expect(sockets()).toBe(before + 1);
    await service.close();
    for (const use of [() => service.connection(), () => service.manager(), () => service.jetstream(), () => service.kvm()]) {
      await expect(use()).rejects.toMatchObject({ code: 'LOOM_ERR_UNAVAILABLE', message: expect.stringContaining('closed') });
    }
    expect(service.isConnected()).toBe(false);
    await until(() => sockets() === before, () => `the service's socket to close (${sockets()} open, ${before} before)`, 10_000);
  }, 30_000);

  it('closes a connection that was still being opened when close() came', async () => {
    const before = sockets();
    const service = createNatsService({ config: natsConfigSchema.parse({ url: nats.url }), env: {}, log, name: 'closed-service' });
    const opening = service.connection().then(() => 'opened', () => 'refused');
    await service.close();
    await opening;
    await expect(service.connection()).rejects.toMatchObject({ code: 'LOOM_ERR_UNAVAILABLE' });
    await until(() => sockets() === before, () => `the half-opened connection to close (${sockets()} open, ${before} before)`, 10_000);
  }, 30_000);

  it('a warp kernel stopped right after it started leaves no connection behind', async () => {
    const before = sockets();
    for (let i = 0; i < 3; i++) {
      const kernel = await createTestKernel({ plugins: [...warpPreset.plugins], config: { nats: { url: nats.url } }, env: { LOOMINAL_PROJECT_ID: `closed-${i}`, LOOMINAL_AGENT_ID: `${i}`.repeat(32) } });
      await kernel.stop();
    }
    await until(() => sockets() === before, () => `every kernel's connections to close (${sockets()} open, ${before} before)`, 10_000);
  }, 60_000);
});
