// Every failure becomes {error: {code, message, details}} with the status its code means; nothing else leaks out.
import type { Context, Next } from 'koa';
import { LoomError, toLoomError, type LoomErrorCode, type Logger } from '../../../core/index.js';

const STATUS: Partial<Record<LoomErrorCode, number>> = {
  LOOM_ERR_INVALID_INPUT: 400,
  LOOM_ERR_INVALID_NAME: 400,
  LOOM_ERR_UNAUTHORIZED: 401,
  LOOM_ERR_FORBIDDEN: 403,
  LOOM_ERR_NOT_FOUND: 404,
  LOOM_ERR_CONFLICT: 409,
  LOOM_ERR_PAYLOAD_TOO_LARGE: 413,
  LOOM_ERR_RATE_LIMITED: 429,
  LOOM_ERR_UNSUPPORTED: 501,
  LOOM_ERR_UNAVAILABLE: 503,
  LOOM_ERR_NATS_UNREACHABLE: 503,
  LOOM_ERR_TIMEOUT: 504,
};

export function statusOf(code: LoomErrorCode): number {
  return STATUS[code] ?? 500;
}

/** Errors thrown by Koa's body parser (raw-body, co-body) carry an HTTP status and a type instead of our code. */
function fromHttpError(err: { status?: number; type?: string; message?: string; limit?: number }): LoomError | undefined {
  if (err.status === 413 || err.type === 'entity.too.large') {
    return new LoomError('LOOM_ERR_PAYLOAD_TOO_LARGE', `the request body is larger than the limit of ${err.limit ?? '?'} bytes`, { field: 'body', limit: err.limit });
  }
  if (err.status === 415) return new LoomError('LOOM_ERR_INVALID_INPUT', 'body: send JSON with Content-Type: application/json', { field: 'body' });
  if (err.status === 400) return new LoomError('LOOM_ERR_INVALID_INPUT', `body: not valid JSON (${err.message ?? 'parse error'})`, { field: 'body' });
  return undefined;
}

export function errorMiddleware(log: Logger) {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new LoomError('LOOM_ERR_NOT_FOUND', `no route ${ctx.method} ${ctx.path}`, { path: ctx.path });
      if (ctx.status === 405) {
        // The path exists, the method does not: 405 with Koa's Allow header, so a client can tell it from a typo.
        const allowed = String(ctx.response.get('Allow'));
        ctx.status = 405;
        ctx.body = { error: { code: 'LOOM_ERR_NOT_FOUND', message: `${ctx.method} is not allowed on ${ctx.path}; allowed: ${allowed}`, details: { path: ctx.path, allowed } } };
      }
    } catch (err) {
      const loom = err instanceof LoomError ? err : (fromHttpError(err as never) ?? toLoomError(err));
      const status = statusOf(loom.code);
      if (status >= 500) log.error({ err, path: ctx.path, method: ctx.method }, 'weft API request failed');
      ctx.status = status;
      if (status === 401) ctx.set('WWW-Authenticate', 'Bearer realm="weft"');
      ctx.body = { error: { code: loom.code, message: status === 500 ? `internal error: ${loom.reason}` : loom.reason, ...(loom.details ? { details: loom.details } : {}) } };
    }
  };
}
