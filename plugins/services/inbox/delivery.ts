// Follows an agent's durable inbox consumer while its server runs and marks receipted messages delivered.
import type { JetStreamClient } from '@nats-io/jetstream';
import type { InboxDelivery, Logger } from '../../../core/index.js';

export interface DeliveryOptions {
  js: JetStreamClient;
  stream: string;
  durable: string;
  /** Called once per arriving message with its message id; the message is acked after it returns. */
  onDelivered(messageId: string): Promise<void>;
  log: Logger;
}

/**
 * Acking here does not remove anything: the inbox stream keeps messages by age, and reads go by sequence with their
 * own read state. The ack only records "this agent's server has seen it".
 */
export async function followDeliveries(options: DeliveryOptions): Promise<InboxDelivery> {
  const consumer = await options.js.consumers.get(options.stream, options.durable);
  const messages = await consumer.consume({ max_messages: 100 });
  const loop = (async () => {
    for await (const message of messages) {
      const messageId = message.headers?.get('Nats-Msg-Id');
      try {
        if (messageId && message.headers?.get('Loom-Receipt') === '1') await options.onDelivered(messageId);
        message.ack();
      } catch (err) {
        options.log.warn({ err, seq: message.seq }, 'could not record a delivery; it comes back after the ack wait');
        message.nak(5000);
      }
    }
  })();
  return {
    async stop() {
      messages.stop();
      await loop.catch(() => undefined);
    },
  };
}
