// --provision's signing keys: each listed agent's public key in KV loom-keys-<p> under its id, and the keys of agents
// no longer listed removed, so a removed agent's key cannot make its old identity look verified.
import type { KvBucket } from '../../core/index.js';
import { signingKeyRecordSchema, type SigningKeyRecord } from '../../core/index.js';
import type { AgentPublicKey } from './generate.js';

export interface ProvisionedKeys {
  /** Agents whose key was written or already as it should be. */
  agents: string[];
  /** Agents whose key was removed. */
  removed: string[];
}

export async function provisionSigningKeys(bucket: KvBucket, keys: readonly AgentPublicKey[]): Promise<ProvisionedKeys> {
  const wanted = new Map(keys.map((k) => [k.agentId, { publicKey: k.publicKey, principal: k.principal } satisfies SigningKeyRecord]));
  for (const [agentId, record] of wanted) {
    const current = signingKeyRecordSchema.safeParse((await bucket.get(agentId))?.value);
    // Unchanged keys are left alone: a re-run without --rotate then changes nothing readers see.
    if (current.success && current.data.publicKey === record.publicKey && current.data.principal === record.principal) continue;
    await bucket.put(agentId, record);
  }
  const removed = (await bucket.keys()).filter((agentId) => !wanted.has(agentId));
  for (const agentId of removed) await bucket.delete(agentId);
  return { agents: [...wanted.keys()], removed };
}
