// A server span per REST request under /api (not the event stream), continuing the caller's `traceparent` header;
// work submitted inside it carries the trace onto the queue.
import type { Context, Next } from 'koa';
import { markFailed, withSpan } from '../../../core/index.js';

export function traceRequests() {
  return async (ctx: Context, next: Next) => {
    if (!ctx.path.startsWith('/api/') || ctx.path === '/api/events') return next();
    const header = ctx.get('traceparent');
    await withSpan(`${ctx.method} ${ctx.path}`, { kind: 'server', ...(header ? { parent: header } : {}), attributes: { 'http.request.method': ctx.method, 'url.path': ctx.path } }, async (span) => {
      try {
        await next();
      } finally {
        // The route template names the span (ids in paths would make every span name unique).
        const route = (ctx as unknown as { _matchedRoute?: string })._matchedRoute;
        if (typeof route === 'string') {
          span.updateName(`${ctx.method} ${route}`);
          span.setAttribute('http.route', route);
        }
        span.setAttribute('http.response.status_code', ctx.status);
        if (ctx.status >= 500) markFailed(span, new Error(`HTTP ${ctx.status}`));
      }
    });
  };
}
