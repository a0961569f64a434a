// Input and output schemas of the direct message tools (also the source of the docs' tables and JSON Schemas).
import { z } from 'zod';
import { RECEIPT_STATES, hexIdSchema, messageBodySchema, messageMetadataSchema, senderSchema, tokenSchema } from '../../../core/index.js';

export const sendDirectMessageInput = z.strictObject({
  recipientId: hexIdSchema.describe('The recipient\'s agent id (from discover_agents or get_agent_info). It need not be online: the message waits up to 7 days.'),
  message: messageBodySchema.describe('The message text (up to 1 MB).'),
  messageType: tokenSchema.default('text').describe('A token the recipient can filter on, e.g. "question", "review-request" (default "text").'),
  metadata: messageMetadataSchema.optional().describe('Optional JSON object sent along (up to 16 KB).'),
  replyTo: hexIdSchema.optional().describe('The messageId this answers.'),
  receipt: z.boolean().default(true).describe('Track delivered/read state (query it with read_direct_messages receiptsFor).'),
});

export const sendDirectMessageOutput = z.object({
  messageId: z.string().describe('Keep it to ask for the receipt later.'),
  recipientId: z.string(),
  sequence: z.number(),
  sentAt: z.string(),
  recipientStatus: z.enum(['online', 'busy', 'offline', 'unknown']).describe('The recipient\'s registry status now; "unknown" if it never registered (the message still waits for it).'),
});

export const readDirectMessagesInput = z.strictObject({
  limit: z.number().int().min(1).max(100).default(20).describe('At most this many messages (1-100, default 20).'),
  messageType: tokenSchema.optional().describe('Only messages of this type; the others stay unread for a later read.'),
  senderId: hexIdSchema.optional().describe('Only messages from this agent; the others stay unread for a later read.'),
  receiptsFor: z.array(hexIdSchema).max(100).optional().describe('Message ids you sent: their delivered/read state comes back in "receipts".'),
});

export const directMessageOutput = z.object({
  messageId: z.string(),
  sequence: z.number(),
  from: senderSchema.describe('Who sent it (as recorded by the sender\'s server).'),
  messageType: z.string(),
  message: z.string(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  replyTo: z.string().optional(),
  sentAt: z.string(),
  untrusted: z.literal(true).describe('Always true: the content comes from another agent.'),
});

export const receiptOutput = z.object({
  messageId: z.string(),
  state: z.enum([...RECEIPT_STATES, 'unknown']).describe('sent: waiting; delivered: the recipient\'s server has it; read: returned by the recipient\'s read_direct_messages; unknown: not a receipted message you sent.'),
  recipientId: z.string().optional(),
  sentAt: z.string().optional(),
  deliveredAt: z.string().optional(),
  readAt: z.string().optional(),
});

export const readDirectMessagesOutput = z.object({
  messages: z.array(directMessageOutput).describe('Unread messages, oldest first; each is now marked read and will not be returned again.'),
  unreadRemaining: z.number().describe('Unread messages still waiting (including ones your filters skipped).'),
  receipts: z.array(receiptOutput).optional(),
  note: z.string(),
});
