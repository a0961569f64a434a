// The inbox service: durable direct messages between agents, read exactly once, with receipts. Provided by plugins/services/inbox.
import { z } from 'zod';
import { defineService } from '../services.js';
import { senderSchema } from './channels.js';

/** The JSON payload published on loom.<p>.inbox.<recipientId>.<senderId> (the JetStream message id is `messageId`). */
export const directMessagePayloadSchema = z.object({
  messageId: z.string(),
  from: senderSchema,
  to: z.string(),
  messageType: z.string(),
  message: z.string(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  /** A message id this one answers. */
  replyTo: z.string().optional(),
  /** Whether the sender asked for delivered/read receipts. */
  receipt: z.boolean(),
  sentAt: z.string(),
});
export type DirectMessagePayload = z.infer<typeof directMessagePayloadSchema>;

export const directMessageSchema = directMessagePayloadSchema.extend({ sequence: z.number().int().positive() });
export type DirectMessage = z.infer<typeof directMessageSchema>;

export const RECEIPT_STATES = ['sent', 'delivered', 'read'] as const;

/** What a sender is told about a message: its own record `msg.<senderId>.<messageId>` with the recipient's `seen.<recipientId>.<messageId>`. */
export const receiptSchema = z.object({
  messageId: z.string(),
  senderId: z.string(),
  recipientId: z.string(),
  state: z.enum(RECEIPT_STATES),
  sentAt: z.string(),
  deliveredAt: z.string().optional(),
  readAt: z.string().optional(),
});
export type Receipt = z.infer<typeof receiptSchema>;

export interface SendDirectInput {
  from: z.infer<typeof senderSchema>;
  to: string;
  message: string;
  messageType: string;
  metadata?: Record<string, unknown>;
  replyTo?: string;
  receipt: boolean;
}

export interface InboxReadOptions {
  limit: number;
  messageType?: string;
  senderId?: string;
  /** Stop adding messages once their bodies add up to this many bytes (at least one is always returned). */
  maxBytes?: number;
}

export interface InboxReadResult {
  /** Oldest first. Each is marked read before it is returned, and never returned again. */
  messages: DirectMessage[];
  /** Unread messages left in the inbox after this read (including those a filter skipped). */
  unreadRemaining: number;
}

export interface InboxDelivery {
  stop(): Promise<void>;
}

export interface ProjectInbox {
  readonly projectId: string;
  send(input: SendDirectInput): Promise<{ messageId: string; sequence: number; sentAt: string }>;
  /** Returns unread messages (optionally filtered) and marks exactly those read; skipped ones stay unread. Never waits. */
  read(agentId: string, options: InboxReadOptions): Promise<InboxReadResult>;
  /** Receipts of messages `senderId` sent; ids it did not send (or unknown ids) come back as null. */
  receipts(senderId: string, messageIds: string[]): Promise<Array<Receipt | null>>;
  /** Follows the agent's durable inbox consumer from this process and marks arriving messages delivered. */
  startDelivery(agentId: string): Promise<InboxDelivery>;
}

export interface InboxService {
  forProject(projectId: string): ProjectInbox;
}

export const inboxService = defineService<InboxService>('service:inbox');
