// Listens for loom.<p>.control.<agentId>.shutdown (weft's idle scale-down) and answers before shutting down.
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { Logger } from '../../core/index.js';

export interface ShutdownReply {
  ok: true;
  agentId: string;
  /** Items still running; they finish (within the grace period) before the agent exits. */
  running: number;
}

export function listenForShutdown(nc: NatsConnection, subject: string, reply: () => ShutdownReply, onShutdown: (reason: string) => void, log: Logger): Subscription {
  return nc.subscribe(subject, {
    callback: (err, msg) => {
      if (err) {
        log.warn({ err }, 'shutdown subscription failed');
        return;
      }
      if (msg.reply) msg.respond(JSON.stringify(reply()));
      onShutdown('shutdown request');
    },
  });
}
