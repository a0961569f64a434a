// The agent's control subjects: loom.<p>.control.<agentId>.shutdown (weft's idle scale-down) and .cancel (weft
// cancelled an item this agent holds). Each is answered before it is acted on.
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { z } from 'zod';
import { tokenSchema, type Logger } from '../../core/index.js';

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

const cancelRequestSchema = z.object({ workId: tokenSchema, reason: z.string().max(1024).optional() });

/** onCancel answers whether this agent was running the item (and is now stopping its command). */
export function listenForCancel(nc: NatsConnection, subject: string, onCancel: (workId: string, reason?: string) => boolean, log: Logger): Subscription {
  return nc.subscribe(subject, {
    callback: (err, msg) => {
      if (err) {
        log.warn({ err }, 'cancel subscription failed');
        return;
      }
      let request: z.infer<typeof cancelRequestSchema>;
      try {
        request = cancelRequestSchema.parse(msg.json());
      } catch {
        log.warn({ subject: msg.subject }, 'ignoring a cancel request that is not {workId, reason?}');
        if (msg.reply) msg.respond(JSON.stringify({ ok: false, error: 'expected {workId, reason?}' }));
        return;
      }
      const running = onCancel(request.workId, request.reason);
      if (msg.reply) msg.respond(JSON.stringify({ ok: true, workId: request.workId, running }));
    },
  });
}
