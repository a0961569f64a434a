// Reading a bucket that exists already (created with other limits) with direct gets, as its stream allows, never
// through STREAM.MSG.GET (which a `loom auth` user may not use, and which nats-server 2.9 can crash on).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { createNatsService } from '../../core/nats/connection.js';
import { createSilentLogger } from '../../core/log.js';
import { startNatsServer, type NatsServerHandle } from '../../core/testing/nats-server.js';
import { createNatsKvBackend } from '../../plugins/storage/nats-kv/index.js';
import { bindExistingKv } from '../../core/nats/bind-kv.js';

let server: NatsServerHandle;
let dir: string;
const BUCKET = 'bind-test';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loom-kv-bind-'));
  const conf = join(dir, 'server.conf');
  // "reader" may do everything but STREAM.MSG.GET.
  writeFileSync(
    conf,
    `authorization {
  users = [
    { user: admin, password: admin }
    { user: reader, password: reader, permissions: { publish: { allow: [">"], deny: ["$JS.API.STREAM.MSG.GET.>"] }, subscribe: { allow: [">"] } } }
  ]
}
`,
  );
  server = await startNatsServer({ extraArgs: ['-c', conf] });
  const admin = await connect({ servers: server.url, user: 'admin', pass: 'admin' });
  // Created with other limits than the product asks for: the product binds to it as it is.
  const kv = await new Kvm(admin).create(BUCKET, { history: 5 });
  await kv.put('agent.1', JSON.stringify({ v: 1 }));
  await admin.close();
});

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('binding to an existing bucket', () => {
  it('bindExistingKv reads it with direct gets, where a bare open would use the message get the user may not', async () => {
    const reader = await connect({ servers: server.url, user: 'reader', pass: 'reader' });
    try {
      const bound = await bindExistingKv(new Kvm(reader), BUCKET);
      expect((await bound.get('agent.1'))?.json()).toEqual({ v: 1 });
      const bare = await new Kvm(reader).open(BUCKET);
      await expect(bare.get('agent.1')).rejects.toThrow(/permission/i);
    } finally {
      await reader.close();
    }
  });

  it('the nats-kv backend opens it, reads and writes it without a message get', async () => {
    const nats = createNatsService({ config: { url: server.url.replace('nats://', 'nats://reader:reader@') }, env: {}, log: createSilentLogger(), name: 'kv-bind-test' });
    try {
      const backend = createNatsKvBackend({ kvm: () => nats.kvm() });
      const bucket = await backend.openBucket({ name: BUCKET });
      expect((await bucket.get('agent.1'))?.value).toEqual({ v: 1 });
      await bucket.put('agent.2', { v: 2 });
      expect((await bucket.get('agent.2'))?.value).toEqual({ v: 2 });
      expect(await bucket.get('agent.3')).toBeNull();
    } finally {
      await nats.close();
    }
  });
});
