// The identity service: an agent's handle, stored per project in KV loom-identity-<p>. Provided by plugins/services/identity.
import { z } from 'zod';
import { defineService } from '../services.js';
import type { Identity } from '../isolation/identity.js';

export const identityRecordSchema = z.object({
  agentId: z.string(),
  handle: z.string(),
  projectId: z.string(),
  principal: z.string(),
  /** Set for a sub-agent: its type and its parent's id. */
  subagentType: z.string().optional(),
  parentAgentId: z.string().optional(),
  updatedAt: z.string(),
});
export type IdentityRecord = z.infer<typeof identityRecordSchema>;

export interface IdentityStore {
  /** The stored record of this agent (root or sub-agent), or null when no handle was ever set. */
  get(identity: Identity): Promise<IdentityRecord | null>;
  setHandle(identity: Identity, handle: string): Promise<IdentityRecord>;
}

export const identityService = defineService<IdentityStore>('service:identity');
