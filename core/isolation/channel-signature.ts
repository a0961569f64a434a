// Signatures of channel messages: the canonical bytes a sender signs with its Ed25519 key and a reader verifies
// against the sender's provisioned public key (docs/protocol.md, "Signed channel messages").
import { createHash, sign, verify, type KeyObject } from 'node:crypto';

/** The header that carries base64url (no padding) of the 64-byte Ed25519 signature. */
export const SIGNATURE_HEADER = 'Loom-Signature';

/** First line of the canonical bytes: a version, so a later layout can never be mistaken for this one. */
export const CANONICAL_VERSION = 'loom-channel-message-v1';

export interface SignedFields {
  /** The project of the subject (loom.<p>.channels.<channel>), not a payload field: binds the message to where it was published. */
  projectId: string;
  /** The channel of the subject. */
  channel: string;
  /** The payload's from.agentId: the sender whose key signs. */
  agentId: string;
  /** The payload's id (also its Nats-Msg-Id). */
  messageId: string;
  /** The payload's sentAt. */
  sentAt: string;
  /** The exact payload bytes published (the NATS message body): every other payload field is covered through their hash. */
  payload: Uint8Array;
}

const SIGNATURE = /^[A-Za-z0-9_-]{86}$/;

/**
 * Seven lines joined by "\n", no trailing newline: version, projectId, channel, agentId, messageId, sentAt and the
 * lowercase hex SHA-256 of the payload. Undefined when a field holds a line break or carriage return: such fields
 * could shift into the next line and make two different messages share one signature.
 */
export function canonicalBytes(fields: SignedFields): Buffer | undefined {
  const parts = [CANONICAL_VERSION, fields.projectId, fields.channel, fields.agentId, fields.messageId, fields.sentAt];
  if (parts.some((part) => part.length === 0 || /[\r\n]/.test(part))) return undefined;
  const digest = createHash('sha256').update(fields.payload).digest('hex');
  return Buffer.from([...parts, digest].join('\n'), 'utf8');
}

/** The signature header's value, or undefined when the fields cannot be signed unambiguously. */
export function signChannelMessage(privateKey: KeyObject, fields: SignedFields): string | undefined {
  const bytes = canonicalBytes(fields);
  return bytes ? sign(null, bytes, privateKey).toString('base64url') : undefined;
}

/** True only for a well-formed signature by `publicKey` over exactly these fields. */
export function verifyChannelMessage(publicKey: KeyObject, fields: SignedFields, signature: string | undefined): boolean {
  if (signature === undefined || !SIGNATURE.test(signature)) return false;
  const bytes = canonicalBytes(fields);
  if (!bytes) return false;
  try {
    return verify(null, bytes, publicKey, Buffer.from(signature, 'base64url'));
  } catch {
    // A key of another type in the bucket: it verifies nothing.
    return false;
  }
}
