// A process whose first connect fails must not leave the home's managed nats-server running (nobody would close()
// the service, and the server would hold the store and the lock until the process exits).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { natsConfigSchema } from '../../core/config/schema.js';
import { createLogger } from '../../core/log.js';
import { createNatsService } from '../../core/nats/connection.js';
import { until } from '../../core/testing/poll.js';
import { freePort } from '../fixtures/temp-project.js';
import { serversOnStore } from './embedded-clients.js';

const homes: string[] = [];
afterAll(() => homes.forEach((home) => rmSync(home, { recursive: true, force: true })));
const log = createLogger({ level: 'silent', component: 'failed-connect' });

async function home(): Promise<{ home: string; port: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'loom-home-'));
  homes.push(dir);
  return { home: dir, port: await freePort() };
}

describe('a first connect that fails', () => {
  it('stops the managed server it started and gives the lock back', async () => {
    const { home: dir, port } = await home();
    // Past the schema on purpose: nats.js refuses this prefix inside connect(), after the server is up, which is
    // where any connect failure (a server dying at once, a refused handshake) lands.
    const config = { ...natsConfigSchema.parse({ port }), inboxPrefix: 'not.a.prefix.>' };
    const service = createNatsService({ config, env: { LOOMINAL_HOME: dir }, log, name: 'failed-connect' });
    await expect(service.connection()).rejects.toMatchObject({ code: 'LOOM_ERR_NATS_UNREACHABLE' });
    // The server did start (its store directory is made just before), so the failure came after it.
    expect(existsSync(join(dir, 'nats'))).toBe(true);
    expect(service.url()).toBeUndefined();
    await until(() => serversOnStore(join(dir, 'nats')).length === 0, () => `the managed server to stop: ${serversOnStore(join(dir, 'nats')).join(', ')}`, 30_000);
    expect(existsSync(join(dir, 'nats.lock'))).toBe(false);
    expect(existsSync(join(dir, 'nats.url'))).toBe(false);
  }, 60_000);

  it('a creds file that cannot be read is reported before any server starts', async () => {
    const { home: dir, port } = await home();
    const config = natsConfigSchema.parse({ port, creds: join(dir, 'missing.creds') });
    const service = createNatsService({ config, env: { LOOMINAL_HOME: dir }, log, name: 'failed-connect' });
    await expect(service.connection()).rejects.toMatchObject({ code: 'LOOM_ERR_CONFIG_INVALID' });
    expect(existsSync(join(dir, 'nats'))).toBe(false);
    expect(existsSync(join(dir, 'nats.lock'))).toBe(false);
  }, 60_000);
});
