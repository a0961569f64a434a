// Test harness: a 3-node nats-server cluster with JetStream on loopback, each node killable and restartable by PID.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { spawnNatsProcess, waitForExit } from './nats-server.js';

export interface NatsClusterNode {
  /** server_name, e.g. "n1": what JetStream reports as a stream leader. */
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly running: boolean;
  /** SIGKILL the node (a crash); its store stays for restart(). */
  kill(): Promise<void>;
  /** Start it again with the same ports, config and store. */
  restart(): Promise<void>;
}

export interface NatsCluster {
  readonly nodes: ReadonlyArray<NatsClusterNode>;
  /** Every node's client URL, for `connect({ servers })`. */
  readonly urls: string[];
  readonly dir: string;
  node(name: string): NatsClusterNode;
  /** Resolves once JetStream answers through the cluster (a meta leader is elected). */
  waitForJetStream(timeoutMs?: number): Promise<void>;
  /** Stops every node and deletes the stores. */
  stop(): Promise<void>;
}

/** Free loopback ports: bind port 0 for each, read them, then close them all. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

function nodeConfig(name: string, clientPort: number, routePort: number, routePorts: number[], storeDir: string, cluster: string): string {
  return [
    `server_name: ${name}`,
    `listen: 127.0.0.1:${clientPort}`,
    `jetstream { store_dir: ${JSON.stringify(storeDir)} }`,
    'cluster {',
    `  name: ${cluster}`,
    `  listen: 127.0.0.1:${routePort}`,
    `  routes: [${routePorts.map((port) => `nats-route://127.0.0.1:${port}`).join(', ')}]`,
    '}',
    '',
  ].join('\n');
}

export async function startNatsCluster(options: { size?: number; name?: string; timeoutMs?: number } = {}): Promise<NatsCluster> {
  const size = options.size ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'loom-cluster-'));
  const ports = await freePorts(size * 2);
  const clientPorts = ports.slice(0, size);
  const routePorts = ports.slice(size);
  const children = new Map<string, ChildProcess>();
  const starters: Array<() => Promise<void>> = [];

  const nodes: NatsClusterNode[] = clientPorts.map((port, index) => {
    const name = `n${index + 1}`;
    const storeDir = join(dir, name);
    mkdirSync(storeDir, { recursive: true });
    const configFile = join(dir, `${name}.conf`);
    writeFileSync(configFile, nodeConfig(name, port, routePorts[index]!, routePorts, storeDir, options.name ?? 'loom-test'));
    const start = async () => {
      const { child } = await spawnNatsProcess(['-c', configFile], options.timeoutMs);
      children.set(name, child);
    };
    starters.push(start);
    return {
      name,
      url: `nats://127.0.0.1:${port}`,
      port,
      get pid() {
        return children.get(name)?.pid ?? -1;
      },
      get running() {
        const child = children.get(name);
        return child !== undefined && child.exitCode === null && child.signalCode === null;
      },
      async kill() {
        const child = children.get(name);
        if (!child) return;
        child.kill('SIGKILL');
        await waitForExit(child);
      },
      restart: start,
    };
  });

  try {
    // All at once: each node waits for its routes anyway, and sequential starts would only add latency.
    await Promise.all(starters.map((start) => start()));
  } catch (err) {
    for (const child of children.values()) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  const cluster: NatsCluster = {
    nodes,
    urls: nodes.map((node) => node.url),
    dir,
    node(name) {
      const found = nodes.find((node) => node.name === name);
      if (!found) throw new Error(`no node ${name}; nodes: ${nodes.map((node) => node.name).join(', ')}`);
      return found;
    },
    async waitForJetStream(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let last: unknown;
      while (Date.now() < deadline) {
        const nc = await connect({ servers: nodes.filter((node) => node.running).map((node) => node.url), timeout: 2000 }).catch((err: unknown) => ((last = err), undefined));
        if (nc) {
          try {
            await (await jetstreamManager(nc, { timeout: 2000 })).getAccountInfo();
            return;
          } catch (err) {
            last = err;
          } finally {
            await nc.close();
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error(`JetStream did not become available in the cluster within ${timeoutMs} ms: ${String(last)}`);
    },
    async stop() {
      await Promise.all([...children.values()].map(async (child) => {
        child.kill('SIGTERM');
        await waitForExit(child);
      }));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await cluster.waitForJetStream(options.timeoutMs ?? 30_000).catch(async (err: unknown) => {
    await cluster.stop();
    throw err;
  });
  return cluster;
}
