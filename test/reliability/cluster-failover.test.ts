// A 3-node nats-server cluster with R3 streams and KV: a node killed under load loses no acknowledged message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsCluster, type NatsCluster } from '../../core/testing/nats-cluster.js';
import { createFabric, type Fabric } from './support/fabric.js';
import { runClusterFailover, type ClusterReport } from './support/cluster-failover.js';

let cluster: NatsCluster;
let fabric: Fabric;
let report: ClusterReport;

beforeAll(async () => {
  cluster = await startNatsCluster();
  fabric = await createFabric(cluster.urls.join(','));
  report = await runClusterFailover({ fabric, cluster, projectId: 'cluster-quick', agents: 3, kills: 1, callsPerPhase: 8 });
  process.stderr.write(`[cluster quick] ${JSON.stringify({ ...report, surfacedErrors: report.surfacedErrors.length })}\n`);
}, 240_000);

afterAll(async () => {
  await fabric?.close();
  await cluster?.stop();
});

describe('a cluster node killed while agents publish', () => {
  it('every stream and KV bucket the agents created is replicated 3 times (LOOMINAL_NATS_REPLICAS=3)', () => {
    expect(Object.keys(report.replicas).length).toBeGreaterThanOrEqual(5);
    expect(Object.entries(report.replicas).filter(([, n]) => n !== 3)).toEqual([]);
  });

  it('loses no acknowledged message and stores none twice', () => {
    expect(report.acknowledged.channel + report.acknowledged.direct + report.acknowledged.work).toBeGreaterThan(0);
    expect(report.lost).toBe(0);
    expect(report.duplicated).toBe(0);
    expect(report.retriedStoredTwice).toBe(0);
  });

  it('every agent keeps working while the node is down: its client fails over by itself', () => {
    expect(report.okDuringEachFault.every((n) => n >= 8 * 3)).toBe(true);
    expect(report.pidsUnchanged).toBe(true);
  });

  it('what failed during the failover failed with a coded error a client can act on', () => {
    for (const error of [...report.surfacedErrors, ...report.readTimeouts.map((t) => t.replace(/^\w+: /, ''))]) expect(error).toMatch(/^LOOM_ERR_(?!INTERNAL)[A-Z_]+: /);
  });
});
