// weft:api: the REST API (Koa) over service:weft; provides service:weft-http so the dashboard and metrics add routes.
import { definePlugin, weftHttpService, weftService, type WeftHttpRoute } from '../../../core/index.js';
import { apiEnv, apiOptionsSchema, type ApiOptions } from './options.js';
import { startApiServer, type ApiServer } from './server.js';
import { parseTokens } from './tokens.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export const weftApi = definePlugin<ApiOptions>({
  name: 'weft:api',
  options: apiOptionsSchema,
  env: apiEnv,
  uses: [weftService],
  provides: [weftHttpService],
  setup(ctx) {
    const tokens = parseTokens(ctx.options.tokens);
    const extraRoutes: WeftHttpRoute[] = [];
    let running: ApiServer | undefined;
    ctx.provide(weftHttpService, {
      addRoute(route) {
        if (running) throw new Error(`weft:api: route ${route.method.toUpperCase()} ${route.path} was added after the server started; add routes during setup`);
        extraRoutes.push(route);
      },
      url: () => running?.url,
    });
    ctx.hooks.start.tap(async () => {
      if (!tokens.length && !LOOPBACK.has(ctx.options.host)) {
        ctx.log.warn({ host: ctx.options.host }, 'the weft API listens beyond this machine without API_TOKENS: anyone who can reach it can submit and cancel work');
      }
      running = await startApiServer({ weft: ctx.use(weftService), options: ctx.options, tokens, extraRoutes, log: ctx.log });
      ctx.log.info({ url: running.url, tokens: tokens.length, openHealth: ctx.options.openHealth }, 'weft REST API listening');
    });
    ctx.onStop(async () => {
      await running?.close();
    });
  },
});
