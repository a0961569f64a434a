// Reading spin-up state that nobody wrote yet (the check loop, the history API) answers "nothing" and creates no
// bucket: a weft that only ever sees invalid requests leaves NATS as it found it. The first write creates them.
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNames, globalNames } from '../../core/index.js';
import { startSpinUpFabric, type SpinUpFabric } from './harness.js';
import { createTestMechanism } from './test-mechanism.js';

const { plugin: fake } = createTestMechanism();
let fabric: SpinUpFabric;
let nc: NatsConnection;
let jsm: JetStreamManager;

const spinUpStreams = async () => {
  const names = createNames(fabric.projectId);
  const wanted = new Set([globalNames.weftSpinUpProjectsBucket, names.weftSpinUpsBucket, names.weftSpawnedBucket].map((name) => `KV_${name}`));
  const found: string[] = [];
  for await (const stream of jsm.streams.names()) if (wanted.has(stream)) found.push(stream);
  return found.sort();
};

beforeAll(async () => {
  fabric = await startSpinUpFabric({ projectId: 'spin-read-only', plugins: [fake] });
  nc = await connect({ servers: fabric.nats.url });
  jsm = await jetstreamManager(nc);
});
afterAll(async () => {
  await nc?.close();
  await fabric?.stop();
});

describe('spin-up state that does not exist yet', () => {
  it('reads answer nothing and create no bucket, however many checks run', async () => {
    expect(await fabric.service.listAttempts!(fabric.projectId)).toEqual([]);
    expect(await fabric.service.listSpawned!(fabric.projectId)).toEqual([]);
    // checkMs is 100: for 1.5 s the loop reads the (absent) state of its project about fifteen times.
    const until1500 = Date.now() + 1_500;
    while (Date.now() < until1500) {
      expect(await spinUpStreams()).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it('the first write creates the buckets, and reads see what it wrote', async () => {
    const target = await fabric.target({ id: 'first', mechanism: 'fake', capabilities: ['first-cap'], config: {} });
    await fabric.offer('first-1', 'first-cap');
    const attempt = await fabric.service.request({ projectId: fabric.projectId, workId: 'first-1', capability: 'first-cap', agentTypes: [], reason: 'first write', candidates: [target] });
    expect(attempt.outcome).toBe('started');
    const names = createNames(fabric.projectId);
    expect(await spinUpStreams()).toEqual([`KV_${globalNames.weftSpinUpProjectsBucket}`, `KV_${names.weftSpawnedBucket}`, `KV_${names.weftSpinUpsBucket}`].sort());
    expect((await fabric.service.listAttempts!(fabric.projectId)).map((a) => a.operationId)).toEqual([attempt.operationId]);
    expect((await fabric.service.listSpawned!(fabric.projectId)).map((a) => a.agentId)).toEqual([attempt.agentId]);
  });
});
