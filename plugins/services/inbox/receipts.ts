// Delivered/read receipts in KV loom-receipts-<p> under `msg.<messageId>`: states only move forward (sent → delivered → read).
import { isLoomError, receiptSchema, type KvBucket, type Receipt } from '../../../core/index.js';

const key = (messageId: string) => `msg.${messageId}`;

export interface Receipts {
  create(receipt: Receipt): Promise<void>;
  /** Drops the receipt of a message that was never stored. */
  remove(messageId: string): Promise<void>;
  markDelivered(messageId: string, at: string): Promise<void>;
  markRead(messageId: string, at: string): Promise<void>;
  /** Only the sender's own receipts; anything else is null. */
  forSender(senderId: string, messageIds: string[]): Promise<Array<Receipt | null>>;
}

export function createReceipts(bucket: () => Promise<KvBucket>): Receipts {
  async function read(messageId: string): Promise<{ receipt: Receipt; revision: number } | null> {
    const found = await (await bucket()).get<unknown>(key(messageId));
    const parsed = receiptSchema.safeParse(found?.value);
    return found && parsed.success ? { receipt: parsed.data, revision: found.revision } : null;
  }

  /** Compare-and-set with a few retries: the recipient's delivery follower and its reads may race. */
  async function advance(messageId: string, change: (receipt: Receipt) => Receipt | null): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await read(messageId);
      if (!current) return;
      const next = change(current.receipt);
      if (!next) return;
      try {
        await (await bucket()).update(key(messageId), next, current.revision);
        return;
      } catch (err) {
        if (!isLoomError(err, 'LOOM_ERR_CONFLICT')) throw err;
      }
    }
  }

  return {
    async create(receipt) {
      await (await bucket()).put(key(receipt.messageId), receipt);
    },
    async remove(messageId) {
      await (await bucket()).delete(key(messageId));
    },
    markDelivered: (messageId, at) => advance(messageId, (r) => (r.state === 'sent' ? { ...r, state: 'delivered', deliveredAt: at } : null)),
    markRead: (messageId, at) => advance(messageId, (r) => (r.state === 'read' ? null : { ...r, state: 'read', deliveredAt: r.deliveredAt ?? at, readAt: at })),
    async forSender(senderId, messageIds) {
      const found = await Promise.all(messageIds.map((id) => read(id)));
      return found.map((entry) => (entry && entry.receipt.senderId === senderId ? entry.receipt : null));
    },
  };
}
