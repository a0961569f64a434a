// service:identity — agents' handles in KV loom-identity-<p>, keyed `<rootAgentId>.root` and `<rootAgentId>.subagent.<type>`.
import { assertHexId, assertToken, createNames, definePlugin, identityRecordSchema, identityService, storageService, type Identity, type IdentityRecord, type IdentityStore, type KvBucket } from '../../../core/index.js';

/**
 * SPEC §4 names the keys `root` and `subagent.<type>`; several agents share one project bucket, so each key starts
 * with the root agent's id (a sub-agent is found under its parent).
 */
export function identityKey(identity: Identity): string {
  const root = assertHexId('agentId', identity.parentAgentId ?? identity.agentId);
  return identity.subagentType ? `${root}.subagent.${assertToken('subagentType', identity.subagentType)}` : `${root}.root`;
}

const CACHE_MS = 10_000;

export const identityServicePlugin = definePlugin({
  name: 'service:identity',
  provides: [identityService],
  setup(ctx) {
    const buckets = new Map<string, Promise<KvBucket>>();
    const bucketFor = (identity: Identity) => {
      const name = identity.projectId === ctx.names.projectId ? ctx.names.identityBucket : createNames(identity.projectId).identityBucket;
      let bucket = buckets.get(name);
      if (!bucket) {
        buckets.set(name, (bucket = ctx.use(storageService).openBucket({ name })));
        bucket.catch(() => buckets.delete(name));
      }
      return bucket;
    };
    // Handles are read on every message sent: keep them here; set_handle in this process refreshes at once.
    const cache = new Map<string, { record: IdentityRecord | null; until: number }>();
    const store: IdentityStore = {
      async get(identity) {
        const key = `${identity.projectId}/${identityKey(identity)}`;
        const cached = cache.get(key);
        if (cached && cached.until > Date.now()) return cached.record;
        const found = await (await bucketFor(identity)).get<unknown>(identityKey(identity));
        const parsed = identityRecordSchema.safeParse(found?.value);
        const record = parsed.success ? parsed.data : null;
        cache.set(key, { record, until: Date.now() + CACHE_MS });
        return record;
      },
      async setHandle(identity, handle) {
        const record: IdentityRecord = {
          agentId: identity.agentId,
          handle: assertToken('handle', handle),
          projectId: identity.projectId,
          principal: identity.principal,
          ...(identity.subagentType ? { subagentType: identity.subagentType } : {}),
          ...(identity.parentAgentId ? { parentAgentId: identity.parentAgentId } : {}),
          updatedAt: new Date().toISOString(),
        };
        await (await bucketFor(identity)).put(identityKey(identity), record);
        cache.set(`${identity.projectId}/${identityKey(identity)}`, { record, until: Date.now() + CACHE_MS });
        return record;
      },
    };
    ctx.provide(identityService, store);
  },
});
