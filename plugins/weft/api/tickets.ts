// Short-lived, single-use tickets for GET /api/events: a browser's EventSource cannot send an Authorization header,
// so the page trades its bearer token (in a header) for a ticket it may put in the URL. Kept as digests, in memory.
import { createHash, randomBytes } from 'node:crypto';
import type { WeftCaller } from '../../../core/index.js';

export interface TicketHolder {
  caller: WeftCaller;
  /** The label of the token it was traded for: the rate limit counts both as one. */
  label: string;
}

export interface EventTickets {
  issue(holder: TicketHolder): { ticket: string; expiresAt: string };
  /** Who the ticket was issued to, once; undefined when unknown, used or expired. */
  redeem(ticket: string): TicketHolder | undefined;
}

const digest = (value: string) => createHash('sha256').update(value).digest('hex');

export function createEventTickets(ttlMs = 60_000, maxOpen = 10_000): EventTickets {
  const open = new Map<string, { holder: TicketHolder; expires: number }>();
  const sweep = (now: number) => {
    for (const [key, entry] of open) if (entry.expires <= now) open.delete(key);
  };
  return {
    issue(holder) {
      const now = Date.now();
      sweep(now);
      // A flood of unredeemed tickets must not grow memory without bound: the oldest go first.
      while (open.size >= maxOpen) open.delete(open.keys().next().value!);
      const ticket = randomBytes(24).toString('base64url');
      open.set(digest(ticket), { holder, expires: now + ttlMs });
      return { ticket, expiresAt: new Date(now + ttlMs).toISOString() };
    },
    redeem(ticket) {
      const key = digest(ticket);
      const entry = open.get(key);
      open.delete(key);
      return entry && entry.expires > Date.now() ? entry.holder : undefined;
    },
  };
}
