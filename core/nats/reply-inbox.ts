// Reply subjects under the connection's own prefix (nats.inboxPrefix): with `loom auth` users, the only ones they may subscribe to.
import { createInbox, type NatsConnection } from '@nats-io/nats-core';

/** A fresh reply subject for a hand-made request (nats.js's own requests already use the connection's prefix). */
export function replyInbox(nc: NatsConnection): string {
  return createInbox((nc as { options?: { inboxPrefix?: string } }).options?.inboxPrefix);
}
