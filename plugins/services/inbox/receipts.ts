// Delivered/read receipts in KV loom-receipts-<p>, split by writer so `loom auth` can let each agent write only its own
// half: the sender's record `msg.<senderId>.<messageId>` (to whom, when) and the recipient's `seen.<recipientId>.<messageId>`
// (delivered, read; only moves forward). A receipt is the two read together, the second looked up under the recipient
// the sender recorded, so nobody else's `seen` entry can change what a sender is told.
import { z } from 'zod';
import { isLoomError, receiptSchema, type KvBucket, type Receipt } from '../../../core/index.js';
import { HEX_ID_PATTERN } from '../../../core/isolation/tokens.js';

const sentKey = (senderId: string, messageId: string) => `msg.${senderId}.${messageId}`;
const seenKey = (recipientId: string, messageId: string) => `seen.${recipientId}.${messageId}`;
/** Ids come from other agents' messages (headers, payloads): only hex ids ever become keys. */
const ids = (...values: string[]) => values.every((v) => HEX_ID_PATTERN.test(v));

export const seenRecordSchema = z.object({
  state: z.enum(['delivered', 'read']),
  deliveredAt: z.string(),
  readAt: z.string().optional(),
});
export type SeenRecord = z.infer<typeof seenRecordSchema>;

export interface Receipts {
  /** The sender's record, state `sent`. */
  create(receipt: Receipt): Promise<void>;
  /** Drops the sender's record of a message that was never stored. */
  remove(senderId: string, messageId: string): Promise<void>;
  markDelivered(recipientId: string, messageId: string, at: string): Promise<void>;
  markRead(recipientId: string, messageId: string, at: string): Promise<void>;
  /** Only the sender's own receipts; anything else is null. */
  forSender(senderId: string, messageIds: string[]): Promise<Array<Receipt | null>>;
}

export function createReceipts(bucket: () => Promise<KvBucket>): Receipts {
  async function readSeen(recipientId: string, messageId: string): Promise<{ seen: SeenRecord; revision: number } | null> {
    const found = await (await bucket()).get<unknown>(seenKey(recipientId, messageId));
    const parsed = seenRecordSchema.safeParse(found?.value);
    return found && parsed.success ? { seen: parsed.data, revision: found.revision } : null;
  }

  /** Compare-and-set with a few retries: the recipient's delivery follower and its reads may race. */
  async function advance(recipientId: string, messageId: string, change: (seen: SeenRecord | null) => SeenRecord | null): Promise<void> {
    if (!ids(recipientId, messageId)) return;
    const kv = await bucket();
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await readSeen(recipientId, messageId);
      const next = change(current?.seen ?? null);
      if (!next) return;
      try {
        if (current) await kv.update(seenKey(recipientId, messageId), next, current.revision);
        else await kv.create(seenKey(recipientId, messageId), next);
        return;
      } catch (err) {
        if (!isLoomError(err, 'LOOM_ERR_CONFLICT')) throw err;
      }
    }
  }

  return {
    async create(receipt) {
      await (await bucket()).put(sentKey(receipt.senderId, receipt.messageId), receipt);
    },
    async remove(senderId, messageId) {
      await (await bucket()).delete(sentKey(senderId, messageId));
    },
    markDelivered: (recipientId, messageId, at) => advance(recipientId, messageId, (s) => (s ? null : { state: 'delivered', deliveredAt: at })),
    markRead: (recipientId, messageId, at) => advance(recipientId, messageId, (s) => (s?.state === 'read' ? null : { state: 'read', deliveredAt: s?.deliveredAt ?? at, readAt: at })),
    async forSender(senderId, messageIds) {
      const kv = await bucket();
      return Promise.all(
        messageIds.map(async (messageId) => {
          if (!ids(senderId, messageId)) return null;
          const found = await kv.get<unknown>(sentKey(senderId, messageId));
          const parsed = receiptSchema.safeParse(found?.value);
          if (!parsed.success || parsed.data.senderId !== senderId || parsed.data.messageId !== messageId || !ids(parsed.data.recipientId)) return null;
          const seen = (await readSeen(parsed.data.recipientId, messageId))?.seen;
          const { deliveredAt: _d, readAt: _r, ...sent } = parsed.data;
          return { ...sent, state: seen?.state ?? 'sent', ...(seen ? { deliveredAt: seen.deliveredAt } : {}), ...(seen?.readAt ? { readAt: seen.readAt } : {}) } satisfies Receipt;
        }),
      );
    },
  };
}
