// A 3-node cluster with R3 streams and KV: each node killed once in turn under load; every client fails over each time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsCluster, type NatsCluster } from '../../core/testing/nats-cluster.js';
import { createFabric, type Fabric } from '../reliability/support/fabric.js';
import { runClusterFailover, type ClusterReport } from '../reliability/support/cluster-failover.js';

let cluster: NatsCluster;
let fabric: Fabric;
let report: ClusterReport;

beforeAll(async () => {
  cluster = await startNatsCluster();
  fabric = await createFabric(cluster.urls.join(','));
  report = await runClusterFailover({ fabric, cluster, projectId: 'cluster-full', agents: 3, kills: 3, callsPerPhase: 15 });
  process.stderr.write(`[cluster] ${JSON.stringify({ ...report, surfacedErrors: report.surfacedErrors.length })}\n`);
}, 420_000);

afterAll(async () => {
  await fabric?.close();
  await cluster?.stop();
});

describe('cluster nodes killed one at a time under load', () => {
  it('killed every node once, so every client lost its server at least once', () => {
    expect(report.killedNodes).toEqual(['n1', 'n2', 'n3']);
  });

  it('streams and buckets are R3, no acknowledged message is lost and none is stored twice', () => {
    expect(Object.entries(report.replicas).filter(([, n]) => n !== 3)).toEqual([]);
    expect(report.lost).toBe(0);
    expect(report.duplicated).toBe(0);
    expect(report.retriedStoredTwice).toBe(0);
  });

  it('agents kept working while each node was down', () => {
    expect(report.okDuringEachFault.every((n) => n >= 3 * 15)).toBe(true);
    expect(report.pidsUnchanged).toBe(true);
  });

  it('what failed during a failover failed with a coded error', () => {
    for (const error of [...report.surfacedErrors, ...report.readTimeouts.map((t) => t.replace(/^\w+: /, ''))]) expect(error).toMatch(/^LOOM_ERR_(?!INTERNAL)[A-Z_]+: /);
  });
});
