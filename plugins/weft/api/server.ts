// The Koa app: helmet, optional CORS, errors, body limit and JSON parsing, then the operation and extra routes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PassThrough } from 'node:stream';
import Koa, { type Context, type Next } from 'koa';
import { Router } from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import helmet from 'koa-helmet';
import { LoomError, type Logger, type WeftHttpRoute, type WeftService } from '../../../core/index.js';
import { createGuard } from './auth.js';
import { errorMiddleware } from './errors.js';
import { buildOpenApi, type DocumentedRoute } from './openapi.js';
import type { ApiOptions } from './options.js';
import { mountOperations } from './routes.js';
import { createSseHandler, eventsQuerySchema } from './sse.js';
import type { TokenEntry } from './tokens.js';
import { createEventTickets } from './tickets.js';
import { traceRequests } from './trace-middleware.js';

function cors(origins: ReadonlyArray<string>) {
  return async (ctx: Context, next: Next) => {
    const origin = ctx.get('origin');
    if (!origins.length || !origin || !(origins.includes(origin) || origins.includes('*'))) return next();
    ctx.set('Access-Control-Allow-Origin', origin);
    ctx.set('Vary', 'Origin');
    if (ctx.method !== 'OPTIONS') return next();
    ctx.set('Access-Control-Allow-Methods', 'GET,POST,PUT,DELETE');
    ctx.set('Access-Control-Allow-Headers', 'Authorization,Content-Type');
    ctx.status = 204;
  };
}

/** Rejects a declared oversized body before reading it, and a body that is not JSON. */
function bodyRules(limit: number) {
  return async (ctx: Context, next: Next) => {
    const length = Number(ctx.get('content-length') || 0);
    if (length > limit) throw new LoomError('LOOM_ERR_PAYLOAD_TOO_LARGE', `the request body (${length} bytes) is larger than the limit of ${limit} bytes`, { field: 'body', limit });
    if ((ctx.method === 'POST' || ctx.method === 'PUT') && (length > 0 || ctx.get('transfer-encoding')) && !ctx.is('application/json')) {
      throw new LoomError('LOOM_ERR_INVALID_INPUT', 'body: send JSON with Content-Type: application/json', { fields: ['body'] });
    }
    return next();
  };
}

export interface ApiServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export interface ApiAppArgs {
  weft: WeftService;
  options: ApiOptions;
  tokens: TokenEntry[];
  extraRoutes: WeftHttpRoute[];
  log: Logger;
}

/** The Koa app with every route mounted, its router and its OpenAPI document (tests compare the two). */
export interface ApiApp {
  app: Koa;
  router: Router;
  openapi: ReturnType<typeof buildOpenApi>;
  streams: Set<PassThrough>;
}

export function createApiApp(args: ApiAppArgs): ApiApp {
  const { weft, options, log } = args;
  const app = new Koa();
  const router = new Router();
  const tickets = createEventTickets();
  const { guard, enabled } = createGuard(args.tokens, options, tickets);
  const streams = new Set<PassThrough>();

  const documented: DocumentedRoute[] = [
    { method: 'get', path: '/health', summary: 'Liveness: NATS connection, lease holder, projects served', contentType: 'application/json', secured: !options.openHealth && enabled },
    { method: 'get', path: '/api/openapi.json', summary: 'This OpenAPI 3.1 document', contentType: 'application/json', secured: enabled },
    { method: 'post', path: '/api/events/ticket', summary: 'A single-use ticket (60 s) for GET /api/events?ticket=…: how a browser EventSource authenticates without putting its token in a URL', contentType: 'application/json', secured: enabled },
    { method: 'get', path: '/api/events', summary: 'Server-sent events of one project: work, work-event and agent', contentType: 'text/event-stream', secured: enabled, query: eventsQuerySchema },
    ...args.extraRoutes.map((route) => ({ method: route.method, path: route.path, summary: route.summary, contentType: route.contentType, secured: enabled && (route.auth === 'token' || (route.auth === 'gated' && !options.openHealth)) })),
  ];
  const openapi = buildOpenApi(weft.operations, documented, { version: '1.0.0', secured: enabled });

  router.get('/health', guard('gated'), (ctx) => {
    const health = weft.health();
    ctx.status = health.status === 'ok' ? 200 : 503;
    ctx.body = health;
  });
  router.get('/api/openapi.json', guard('token'), (ctx) => {
    ctx.body = openapi;
  });
  router.post('/api/events/ticket', guard('token'), (ctx) => {
    // It takes no input: a body other than {} is a client mistake, refused rather than ignored.
    const body = (ctx.request as unknown as { body?: unknown }).body;
    if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body) || Object.keys(body).length > 0)) {
      throw new LoomError('LOOM_ERR_INVALID_INPUT', 'body: POST /api/events/ticket takes no fields; send no body or {}', { field: 'body' });
    }
    ctx.body = tickets.issue({ caller: ctx.state.caller, label: (ctx.state.tokenLabel as string | undefined) ?? `ip:${ctx.ip}` });
  });
  router.get('/api/events', guard('token', { allowQueryToken: true }), createSseHandler(weft, streams));
  mountOperations(router, weft, guard);
  for (const route of args.extraRoutes) {
    router[route.method](route.path, guard(route.auth), async (ctx: Context) => {
      const answer = await route.handle({ query: ctx.query as Record<string, string>, params: (ctx as unknown as { params: Record<string, string> }).params, headers: ctx.headers });
      ctx.status = answer.status ?? 200;
      if (answer.headers) ctx.set(answer.headers);
      if (answer.contentType) ctx.type = answer.contentType;
      ctx.body = answer.body instanceof Uint8Array ? Buffer.from(answer.body) : answer.body;
    });
  }

  app.proxy = false;
  app.use(traceRequests());
  app.use(errorMiddleware(log));
  app.use(helmet());
  app.use(cors(options.corsOrigins));
  app.use(bodyRules(options.bodyLimitBytes));
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: options.bodyLimitBytes, jsonStrict: false, encoding: 'utf-8' }));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return { app, router, openapi, streams };
}

export async function startApiServer(args: ApiAppArgs): Promise<ApiServer> {
  const { app, streams } = createApiApp(args);
  const { options } = args;
  const server = createServer(app.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new LoomError('LOOM_ERR_UNAVAILABLE', `the weft API cannot listen on ${options.host}:${options.port}: the port is in use (EADDRINUSE). Set API_PORT to another port, or 0 for any free one.`, { host: options.host, port: options.port, errno: 'EADDRINUSE' }) : err),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  return {
    server,
    url,
    async close() {
      for (const stream of streams) stream.end();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
