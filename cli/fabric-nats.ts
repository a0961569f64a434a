// The NATS part of `loom up`: reuses a local server or starts a managed nats-server through the kernel's NATS service.
import { createKernel, LoomError, natsService } from '../core/index.js';
import { knownPluginNamesFor } from '../presets/index.js';
import type { FabricPart } from './fabric.js';

export const natsPart: FabricPart = {
  name: 'nats',
  describe: 'NATS with JetStream: the configured server, else one answering on 127.0.0.1:4222, else a managed nats-server',
  async start(ctx) {
    const { config } = ctx.loaded;
    const kernel = createKernel({
      config,
      plugins: [],
      knownPluginNames: [...(await knownPluginNamesFor(Object.keys(config.options), config.plugins.map((plugin) => plugin.name))), ...config.plugins.map((plugin) => plugin.name)],
      env: ctx.env,
      cwd: ctx.cwd,
      log: ctx.log,
      name: 'loom-up',
    });
    const nats = kernel.use(natsService);
    try {
      const connection = await nats.connection();
      await nats.manager().catch((err: unknown) => {
        throw new LoomError('LOOM_ERR_NATS_NO_JETSTREAM', `the NATS server at ${nats.server()?.url} runs without JetStream (${err instanceof Error ? err.message : String(err)}). Start it with -js, or unset NATS_URL to let loom start its own.`);
      });
      const server = nats.server()!;
      ctx.natsUrl = server.url;
      const how = server.source === 'managed' ? `managed nats-server (pid ${server.pid}, store ${server.storeDir})`
        : server.source === 'local' ? 'reusing the server already running there' : 'the configured server';
      return {
        name: 'nats',
        line: `NATS   ${server.url}  ${how}, nats-server ${connection.info?.version ?? '?'}`,
        summary: { ...server, version: connection.info?.version },
        stop: () => kernel.stop(),
      };
    } catch (err) {
      await kernel.stop();
      throw err;
    }
  },
};
