// No-wait pulls over reusable inbox subscriptions: one pull at a time per subscription, so a claim sends no SUB/UNSUB.
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { pullNextSubject } from '../../../core/index.js';
import { replyInbox } from '../../../core/nats/reply-inbox.js';

/**
 * JetStream delivers a pulled message under its own subject, not the reply inbox, so a shared request muxer cannot
 * tell which pull it answers. A subscription that carries one pull at a time can: the next message on it is the answer.
 */
interface Slot {
  sub: Subscription;
  inbox: string;
  waiting?: (msg: Msg) => void;
}

export interface Puller {
  /**
   * Publishes one pull request and resolves with the single message answering it, or null after timeoutMs. Without
   * waitMs the server answers at once (a message, or 404 when none is ready); with it, it answers within waitMs
   * (a message as soon as one is ready, else 408).
   */
  pull(stream: string, consumer: string, timeoutMs: number, waitMs?: number): Promise<Msg | null>;
  close(): void;
}

const encoder = new TextEncoder();
const NO_WAIT = encoder.encode(JSON.stringify({ batch: 1, no_wait: true }));

export function createPuller(nc: NatsConnection): Puller {
  const free: Slot[] = [];
  const all = new Set<Slot>();

  const open = (): Slot => {
    // Under the connection's inbox prefix: a `loom auth` user may subscribe to nothing else.
    const inbox = replyInbox(nc);
    const slot: Slot = { inbox, sub: undefined as unknown as Subscription };
    slot.sub = nc.subscribe(inbox, {
      callback: (_err, msg) => {
        const waiting = slot.waiting;
        slot.waiting = undefined;
        // A message nobody waits for cannot happen: a slot whose pull timed out is closed, never reused.
        waiting?.(msg);
      },
    });
    all.add(slot);
    return slot;
  };

  const retire = (slot: Slot) => {
    all.delete(slot);
    slot.sub.unsubscribe();
  };

  return {
    pull(stream, consumer, timeoutMs, waitMs) {
      const request = waitMs ? encoder.encode(JSON.stringify({ batch: 1, expires: Math.round(waitMs * 1e6) })) : NO_WAIT;
      const slot = free.pop() ?? open();
      return new Promise<Msg | null>((resolve) => {
        const timer = setTimeout(() => {
          slot.waiting = undefined;
          // A late answer may still come: this subscription must never serve another pull.
          retire(slot);
          resolve(null);
        }, timeoutMs + (waitMs ?? 0));
        slot.waiting = (msg) => {
          clearTimeout(timer);
          free.push(slot);
          resolve(msg);
        };
        nc.publish(pullNextSubject(stream, consumer), request, { reply: slot.inbox });
      });
    },
    close() {
      for (const slot of [...all]) retire(slot);
      free.length = 0;
    },
  };
}
