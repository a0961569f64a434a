// The cluster scenario: warp agents on a 3-node cluster with R3 streams and KV; nodes are killed one at a time under load.
import type { NatsCluster } from '../../../core/testing/nats-cluster.js';
import { until, type Fabric } from './fabric.js';
import { runPublishFaults, type BrokerCrashReport, type Fault } from './broker-crash.js';

export interface ClusterReport extends BrokerCrashReport {
  /** Replicas of every stream and KV bucket of the project when the run ended: all must be 3. */
  replicas: Record<string, number>;
  killedNodes: string[];
}

/**
 * Each fault kills one node (n1, then n2, ...) and lasts until every agent made `callsPerPhase` successful calls
 * without it — every client was connected to some node, so rotating the victim makes each of them fail over at least
 * once when `kills` is 3.
 */
export async function runClusterFailover(options: { fabric: Fabric; cluster: NatsCluster; projectId: string; agents: number; kills: number; callsPerPhase: number }): Promise<ClusterReport> {
  const { cluster } = options;
  const killed: string[] = [];
  const faults: Fault[] = Array.from({ length: options.kills }, (_, i) => {
    const node = cluster.nodes[i % cluster.nodes.length]!;
    return {
      label: `kill ${node.name}`,
      inject: async () => {
        killed.push(node.name);
        await node.kill();
      },
      during: (progress) => until(() => progress.minOkSince() >= options.callsPerPhase, `every agent to keep working without ${node.name}`, 90_000, 100),
      heal: async () => {
        await node.restart();
        await cluster.waitForJetStream(60_000);
      },
    };
  });
  const report = await runPublishFaults({ fabric: options.fabric, projectId: options.projectId, agents: options.agents, faults, callsPerPhase: options.callsPerPhase, extraEnv: { LOOMINAL_NATS_REPLICAS: '3' } });
  const replicas: Record<string, number> = {};
  const up = options.projectId.toUpperCase();
  for await (const info of options.fabric.jsm.streams.list()) {
    const name = info.config.name;
    if (name.startsWith(`LOOM_${up}_`) || name.endsWith(`-${options.projectId}`)) replicas[name] = info.config.num_replicas;
  }
  return { ...report, replicas, killedNodes: killed };
}
