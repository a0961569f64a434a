// Signed channel messages without a server: the canonical bytes are exactly what docs/protocol.md says (a fixed test
// vector other languages can check against), and a signature verifies only for the message, channel, project and
// sender it was made for.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  canonicalBytes,
  generateSigningKey,
  isLoomError,
  parsePrivateKey,
  publicKeyOf,
  readPrivateKey,
  readPublicKey,
  signChannelMessage,
  verifyChannelMessage,
  type SignedFields,
} from '../../core/index.js';

// The test vector of docs/protocol.md: private key = 32 bytes of 0x07.
const VECTOR = {
  privateKey: 'BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc',
  publicKey: '6kpsY-KcUgq-9VB7Ey7F-ZVHdq6-vnuSQh7qaRRG0iw',
  payload: '{"id":"0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f","channel":"roadmap","from":{"agentId":"a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1","projectId":"acme-web"},"message":"ship it","sentAt":"2026-01-12T09:14:03.120Z"}',
  canonical: 'loom-channel-message-v1\nacme-web\nroadmap\na1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1\n0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f\n2026-01-12T09:14:03.120Z\n9c853a09ad47575f9c91cc930a0e299279c1179436b0052a03979dabe114963d',
  signature: 'SN_KhLp2P1ew-4M4wXMA670W8V2kCDr54UfZw6z0GI9Jxtbc_nMUIMyERwTaVuDgqXQRk0nMmnznuhXSrWTMAA',
};

const fields = (over: Partial<SignedFields> = {}): SignedFields => ({
  projectId: 'acme-web',
  channel: 'roadmap',
  agentId: 'a1'.repeat(16),
  messageId: '0f'.repeat(16),
  sentAt: '2026-01-12T09:14:03.120Z',
  payload: Buffer.from(VECTOR.payload),
  ...over,
});

const privateKey = readPrivateKey(VECTOR.privateKey)!;
const publicKey = readPublicKey(VECTOR.publicKey)!;

describe('canonical bytes and the test vector', () => {
  it('are seven lines: version, project, channel, sender, id, sentAt and the SHA-256 of the payload', () => {
    expect(canonicalBytes(fields())?.toString('utf8')).toBe(VECTOR.canonical);
  });

  it('sign deterministically to the documented signature, from the documented key pair', () => {
    expect(publicKeyOf(privateKey)).toBe(VECTOR.publicKey);
    expect(signChannelMessage(privateKey, fields())).toBe(VECTOR.signature);
    expect(verifyChannelMessage(publicKey, fields(), VECTOR.signature)).toBe(true);
  });

  it('are the ones docs/protocol.md shows', () => {
    const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
    for (const value of [VECTOR.privateKey, VECTOR.publicKey, VECTOR.payload, VECTOR.signature, ...VECTOR.canonical.split('\n')]) expect(doc.includes(value), `docs/protocol.md shows ${value}`).toBe(true);
  });

  it('refuse a field with a line break, which could otherwise pass for the next line', () => {
    expect(canonicalBytes(fields({ sentAt: '2026-01-12T09:14:03.120Z\nx' }))).toBeUndefined();
    expect(canonicalBytes(fields({ messageId: '' }))).toBeUndefined();
    expect(signChannelMessage(privateKey, fields({ agentId: 'a1\r' }))).toBeUndefined();
  });
});

describe('a signature', () => {
  const signature = signChannelMessage(privateKey, fields())!;

  it.each([
    ['a tampered body', { payload: Buffer.from(VECTOR.payload.replace('ship it', 'ship it now')) }],
    ['another channel', { channel: 'errors' }],
    ['another sender', { agentId: 'b2'.repeat(16) }],
    ['another project', { projectId: 'other' }],
    ['another message id', { messageId: '1e'.repeat(16) }],
    ['another sentAt', { sentAt: '2026-01-12T09:14:04.120Z' }],
  ] as const)('does not verify for %s', (_what, over) => {
    expect(verifyChannelMessage(publicKey, fields(over), signature)).toBe(false);
  });

  it("does not verify with another agent's key, nor when missing, truncated or not base64url", () => {
    const other = readPublicKey(generateSigningKey().publicKey)!;
    expect(verifyChannelMessage(other, fields(), signature)).toBe(false);
    for (const bad of [undefined, '', signature.slice(1), `${signature.slice(0, -1)}+`, 'x'.repeat(86)]) expect(verifyChannelMessage(publicKey, fields(), bad)).toBe(false);
  });

  it("made with B's own key over a message claiming A fails against A's key", () => {
    const bob = generateSigningKey();
    const forged = signChannelMessage(readPrivateKey(bob.privateKey)!, fields());
    expect(verifyChannelMessage(publicKey, fields(), forged)).toBe(false);
    expect(verifyChannelMessage(readPublicKey(bob.publicKey)!, fields(), forged)).toBe(true);
  });
});

describe('key text', () => {
  it('a generated pair is 43 characters of base64url each, and the public key is derived from the private key', () => {
    const pair = generateSigningKey();
    expect(pair.privateKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pair.publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(publicKeyOf(readPrivateKey(pair.privateKey)!)).toBe(pair.publicKey);
  });

  it.each([['too short', 'abc'], ['33 bytes', Buffer.alloc(33, 1).toString('base64url')], ['not base64url', `${'A'.repeat(42)}=`], ['a public key with padding', `${VECTOR.publicKey}=`]])(
    'a malformed private key (%s) is LOOM_ERR_CONFIG_INVALID naming the field and not the value',
    (_what, value) => {
      let error: unknown;
      try {
        parsePrivateKey('LOOMINAL_SIGNING_KEY', value);
      } catch (err) {
        error = err;
      }
      expect(isLoomError(error, 'LOOM_ERR_CONFIG_INVALID')).toBe(true);
      expect((error as Error).message).toContain('LOOMINAL_SIGNING_KEY');
      expect((error as Error).message).not.toContain(value);
    },
  );
});
