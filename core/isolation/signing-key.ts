// Ed25519 keys of agents as text: the private key an agent signs its channel messages with (LOOMINAL_SIGNING_KEY) and
// the public key `loom auth --provision` stores for readers (KV loom-keys-<p>). Both are base64url of the raw 32 bytes
// (RFC 8032 seed and public key), so a Go or Python client uses them as they are.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { LoomError } from '../errors.js';

export const SIGNING_KEY_ENV = 'LOOMINAL_SIGNING_KEY';

/** What `loom auth --provision` writes under an agent's id in KV loom-keys-<p>; only the provisioning user may write it. */
export const signingKeyRecordSchema = z.object({
  /** base64url (no padding) of the agent's 32-byte Ed25519 public key. */
  publicKey: z.string(),
  /** The agent's LOOMINAL_PRINCIPAL, for people reading the bucket. */
  principal: z.string().optional(),
});
export type SigningKeyRecord = z.infer<typeof signingKeyRecordSchema>;

// DER wrappers of a raw Ed25519 key (RFC 8410): node:crypto imports keys as PKCS#8 / SPKI, not as raw bytes.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const RAW_KEY = /^[A-Za-z0-9_-]{43}$/;

function rawBytes(text: string): Buffer | undefined {
  if (!RAW_KEY.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.length === 32 ? bytes : undefined;
}

/** A fresh key pair, as the text loom auth writes (private, into the agent's .env) and provisions (public). */
export function generateSigningKey(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey: rawOf(privateKey, 'private'), publicKey: rawOf(publicKey, 'public') };
}

function rawOf(key: KeyObject, kind: 'private' | 'public'): string {
  const der = kind === 'private' ? key.export({ format: 'der', type: 'pkcs8' }) : key.export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32).toString('base64url');
}

/** The private key, or undefined when the text is not one (callers decide how to report it, never with the text). */
export function readPrivateKey(text: string): KeyObject | undefined {
  const raw = rawBytes(text.trim());
  return raw ? createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, raw]), format: 'der', type: 'pkcs8' }) : undefined;
}

/** The private key of `field`, or LOOM_ERR_CONFIG_INVALID naming the field; the value itself never goes into the error. */
export function parsePrivateKey(field: string, text: string): KeyObject {
  const key = readPrivateKey(text);
  if (key) return key;
  throw new LoomError(
    'LOOM_ERR_CONFIG_INVALID',
    `${field}: expected an Ed25519 private key as 43 characters of base64url (32 bytes), as \`loom auth\` writes it into the agent's .env file; got ${text.trim().length} characters that are not one. Copy it again from the .env file, or unset ${field} to send unsigned channel messages.`,
    { field },
  );
}

export function readPublicKey(text: string): KeyObject | undefined {
  const raw = rawBytes(text);
  return raw ? createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' }) : undefined;
}

/** The public key text of a private key text (what provisioning stores for the agent). */
export function publicKeyOf(privateKey: KeyObject): string {
  return rawOf(createPublicKey(privateKey), 'public');
}
