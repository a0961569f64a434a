// The guard in front of every route: bearer token (when tokens are configured), then the per-token rate limit.
import type { Context, Next } from 'koa';
import { LoomError, type WeftCaller } from '../../../core/index.js';
import { rateLimit } from './rate-limit.js';
import { callerOf, matchToken, type TokenEntry } from './tokens.js';
import type { ApiOptions } from './options.js';
import type { EventTickets } from './tickets.js';

export type AuthMode = 'open' | 'token' | 'gated';

export function createGuard(entries: ReadonlyArray<TokenEntry>, options: ApiOptions, tickets?: EventTickets) {
  const limiter = rateLimit(options.rateLimit, (ctx) => (ctx.state.tokenLabel as string | undefined) ?? `ip:${ctx.ip}`);

  function authenticate(ctx: Context, mode: AuthMode, allowQueryToken: boolean): WeftCaller {
    if (!entries.length || mode === 'open' || (mode === 'gated' && options.openHealth)) return callerOf(undefined);
    const header = ctx.get('authorization');
    const ticket = allowQueryToken && typeof ctx.query.ticket === 'string' ? ctx.query.ticket : undefined;
    if (ticket !== undefined && !header) {
      const holder = tickets?.redeem(ticket);
      if (!holder) throw new LoomError('LOOM_ERR_UNAUTHORIZED', 'ticket: unknown, already used or expired; get a new one with POST /api/events/ticket', { field: 'ticket' });
      ctx.state.tokenLabel = holder.label;
      return holder.caller;
    }
    const fromHeader = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    const fromQuery = allowQueryToken && typeof ctx.query.access_token === 'string' ? ctx.query.access_token : undefined;
    const presented = fromHeader ?? fromQuery;
    if (!presented) {
      throw new LoomError('LOOM_ERR_UNAUTHORIZED', header ? 'Authorization: expected "Bearer <token>"' : 'Authorization: a bearer token is required (Authorization: Bearer <token>)', { field: 'authorization' });
    }
    const entry = matchToken(entries, presented);
    if (!entry) throw new LoomError('LOOM_ERR_UNAUTHORIZED', 'Authorization: the bearer token is not valid', { field: 'authorization' });
    ctx.state.tokenLabel = entry.label;
    return callerOf(entry);
  }

  return {
    enabled: entries.length > 0,
    /** Koa middleware for a route: sets ctx.state.caller or answers 401/429. */
    guard(mode: AuthMode, options: { allowQueryToken?: boolean } = {}) {
      return async (ctx: Context, next: Next) => {
        ctx.state.caller = authenticate(ctx, mode, options.allowQueryToken ?? false);
        await limiter(ctx, next);
      };
    },
  };
}
