// The demo's fabric: NATS (found or started, as `loom up` does) and weft for a throwaway project, and its cleanup.
import { randomBytes } from 'node:crypto';
import { createKernel, globalNames, natsService, spinUpService, type Logger, type SpawnedAgent } from '../../core/index.js';
import { allPresetPluginNames } from '../../presets/index.js';
import { createApiClient, type ApiClient } from '../api-client.js';
import { startWeft, type RunningWeft } from '../commands/weft.js';
import { natsPart } from '../fabric-nats.js';
import type { RunningPart } from '../fabric.js';
import { loadProjectConfig } from '../runtime.js';

export interface DemoFabric {
  /** A fresh project per run: the demo never touches your project's queues or memories. */
  projectId: string;
  natsLine: string;
  weft: RunningWeft;
  api: ApiClient;
  spawned(): Promise<SpawnedAgent[]>;
  /** Waits (up to waitMs) until weft has scaled down every agent it started; false when some are still there. */
  scaledDown(waitMs: number): Promise<boolean>;
  /** Stops any agent still there, stops weft, deletes the demo's streams and buckets, and stops NATS if it was started here. */
  stop(): Promise<{ agentsStoppedByDemo: number; streamsDeleted: number }>;
}

export async function startDemoFabric(options: { cwd: string; env: Record<string, string | undefined>; log: Logger; idleTimeoutMs: number }): Promise<DemoFabric> {
  const { cwd, env, log } = options;
  const projectId = `demo-${randomBytes(6).toString('hex')}`;
  const loaded = await loadProjectConfig(cwd, env);
  const ctx = { cwd, env, loaded, log, natsUrl: undefined as string | undefined };
  const nats: RunningPart = await natsPart.start(ctx);
  let weft: RunningWeft;
  const weftConfig = { ...loaded.config, logLevel: (env.LOG_LEVEL ?? 'warn') as typeof loaded.config.logLevel, nats: ctx.natsUrl && !loaded.config.nats.url ? { ...loaded.config.nats, url: ctx.natsUrl } : loaded.config.nats };
  try {
    weft = await startWeft({
      loaded: { ...loaded, config: weftConfig },
      env: { ...env, LOOMINAL_PROJECT_ID: projectId, API_PORT: env.API_PORT ?? '0', IDLE_TIMEOUT_MS: String(options.idleTimeoutMs), LOOMINAL_SPIN_UP_CHECK_MS: env.LOOMINAL_SPIN_UP_CHECK_MS ?? '250' },
    });
  } catch (err) {
    await nats.stop();
    throw err;
  }
  const spinUps = weft.kernel.use(spinUpService);
  const spawned = async () => (await spinUps.listSpawned?.(projectId)) ?? [];

  async function stopLeftovers(): Promise<number> {
    const local = weft.kernel.registries.spinUps.find('local');
    const left = await spawned();
    for (const agent of left) {
      const target = local?.targetSchema.safeParse(agent.config);
      if (local?.stop && target?.success) await local.stop({ handle: agent.handle, target: target.data, log }).catch((err: unknown) => log.warn({ err, agentId: agent.agentId }, 'could not stop a demo agent'));
    }
    return left.length;
  }

  // After weft stopped (so none of its watches sees its streams vanish), on a connection of its own.
  async function deleteDemoData(): Promise<number> {
    const kernel = createKernel({ config: weftConfig, plugins: [], knownPluginNames: await allPresetPluginNames(), env, cwd, log, name: 'loom-demo-cleanup' });
    try {
      const jsm = await kernel.use(natsService).manager();
      const doomed: string[] = [];
      for await (const name of jsm.streams.names()) if (name.includes(projectId) || name.includes(projectId.toUpperCase())) doomed.push(name);
      for (const name of doomed) await jsm.streams.delete(name).catch((err: unknown) => log.warn({ err, stream: name }, 'could not delete a demo stream'));
      const kv = await (await kernel.use(natsService).kvm()).open(globalNames.weftSpinUpProjectsBucket);
      await kv.delete(projectId).catch(() => undefined);
      return doomed.length;
    } finally {
      await kernel.stop();
    }
  }

  return {
    projectId,
    natsLine: nats.line,
    weft,
    api: createApiClient({ api: weft.url, project: projectId }, {}),
    spawned,
    async scaledDown(waitMs) {
      const deadline = Date.now() + waitMs;
      while ((await spawned()).length) {
        if (Date.now() > deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      return true;
    },
    async stop() {
      try {
        const agentsStoppedByDemo = await stopLeftovers();
        await weft.kernel.stop();
        return { agentsStoppedByDemo, streamsDeleted: await deleteDemoData() };
      } finally {
        await weft.kernel.stop();
        await nats.stop();
      }
    },
  };
}
