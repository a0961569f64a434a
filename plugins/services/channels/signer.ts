// This process's channel signer: the agent's Ed25519 key from LOOMINAL_SIGNING_KEY, read once when the service is set
// up so a malformed key stops the server at startup instead of failing every send.
import type { KeyObject } from 'node:crypto';
import { parsePrivateKey, signChannelMessage, SIGNING_KEY_ENV, type Identity, type SignedFields } from '../../../core/index.js';

export interface ChannelSigner {
  /** The agent the key belongs to: only messages sent as this agent are signed. */
  readonly agentId: string;
  /** The Loom-Signature header value for these fields (undefined when they cannot be signed unambiguously). */
  sign(fields: SignedFields): string | undefined;
}

/** Undefined when no key is set: messages go out unsigned, which readers show as verified: false. */
export function createChannelSigner(env: Readonly<Record<string, string | undefined>>, identity: Pick<Identity, 'agentId' | 'parentAgentId'>): ChannelSigner | undefined {
  const text = env[SIGNING_KEY_ENV];
  if (text === undefined || text === '') return undefined;
  const key: KeyObject = parsePrivateKey(SIGNING_KEY_ENV, text);
  // loom auth provisions the key under LOOMINAL_AGENT_ID, which is a sub-agent's parent: a sub-agent's own id has no key.
  const agentId = identity.parentAgentId ?? identity.agentId;
  return { agentId, sign: (fields) => signChannelMessage(key, fields) };
}
