// A fixed-window request counter per token (per client address without tokens): over the limit is 429.
import type { Context, Next } from 'koa';
import { LoomError } from '../../../core/index.js';

export function rateLimit(options: { windowMs: number; max: number }, keyOf: (ctx: Context) => string) {
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = Date.now();
  return async (ctx: Context, next: Next) => {
    if (options.max <= 0) return next();
    const now = Date.now();
    if (now - lastSweep > options.windowMs) {
      for (const [key, window] of windows) if (now - window.start >= options.windowMs) windows.delete(key);
      lastSweep = now;
    }
    const key = keyOf(ctx);
    let window = windows.get(key);
    if (!window || now - window.start >= options.windowMs) {
      window = { start: now, count: 0 };
      windows.set(key, window);
    }
    window.count++;
    if (window.count > options.max) {
      const retryAfter = Math.ceil((window.start + options.windowMs - now) / 1000);
      ctx.set('Retry-After', String(Math.max(1, retryAfter)));
      throw new LoomError('LOOM_ERR_RATE_LIMITED', `more than ${options.max} requests in ${options.windowMs} ms; retry after ${retryAfter} s`, { limit: options.max, windowMs: options.windowMs, retryAfterSeconds: retryAfter });
    }
    return next();
  };
}
