// The weft part of `loom up`: the coordinator and its REST API, on the NATS server the fabric uses.
import type { FabricPart } from './fabric.js';
import { startWeft } from './commands/weft.js';

export const weftPart: FabricPart = {
  name: 'weft',
  describe: 'weft: the coordinator (routing, assignment tracking) and its REST API on API_HOST:API_PORT (default 127.0.0.1:3000)',
  async start(ctx) {
    // A managed or local server found by the NATS part is passed on as is; a configured URL (maybe with credentials) stays in the config.
    const { config } = ctx.loaded;
    const loaded = ctx.natsUrl && !config.nats.url ? { ...ctx.loaded, config: { ...config, nats: { ...config.nats, url: ctx.natsUrl } } } : ctx.loaded;
    let weft;
    try {
      weft = await startWeft({ loaded, env: { ...ctx.env } });
    } catch (err) {
      // Port 3000 taken (another fabric, another tool) and no port asked for: any free port beats not starting.
      if (ctx.env.API_PORT || !String(err instanceof Error ? err.message : err).includes('EADDRINUSE')) throw err;
      ctx.log.warn('port 3000 is in use: weft listens on a free port instead (set API_PORT to choose one)');
      weft = await startWeft({ loaded, env: { ...ctx.env }, port: '0' });
    }
    return {
      name: 'weft',
      line: `weft   ${weft.url}  REST API (default project ${weft.projectId}); OpenAPI at ${weft.url}/api/openapi.json`,
      summary: { url: weft.url, projectId: weft.projectId, instanceId: weft.instanceId },
      stop: () => weft.kernel.stop(),
    };
  },
};
