// Orchestrations stored on the filesystem always and in KV when NATS is reachable; KV is the shared truth, the
// filesystem the fallback (degraded mode) whose changes are merged back into KV by the retry loop.
import { createKeyedLock, isLoomError, LoomError, type Logger } from '../../../core/index.js';
import { mergeOrchestrations } from '../orchestration/merge.js';
import { finalize } from '../orchestration/phase.js';
import { parseOrchestration, type Orchestration } from '../orchestration/record.js';
import type { WorkFiles } from './files.js';
import type { Link } from './link.js';
import { createEither, degradedAccess, kv, sharedAccess, type Access } from './access.js';
import { createResultStore } from './result-store.js';
import { sharedKeys, type SharedBuckets } from './shared.js';

export type { Access } from './access.js';
export type OrchestrationStore = ReturnType<typeof createOrchestrationStore>;

export function createOrchestrationStore(deps: { files: WorkFiles; buckets: SharedBuckets; link: Link; projectId: string; log: Logger }) {
  const { files, buckets, link, projectId, log } = deps;
  const lock = createKeyedLock();
  const mirrored = new Map<string, string>();

  const own = (value: unknown): Orchestration | undefined => {
    const record = parseOrchestration(value);
    return record?.projectId === projectId ? record : undefined;
  };
  const ownLocal = async (id: string) => {
    const record = await files.readRecord(id);
    return record?.projectId === projectId ? record : undefined;
  };
  const notFound = (id: string) =>
    new LoomError('LOOM_ERR_NOT_FOUND', `orchestration ${id} does not exist in project ${projectId} (stored orchestrations expire after 24 h without a change; list_orchestrations shows what exists)`, { orchestrationId: id });

  async function mirror(record: Orchestration): Promise<void> {
    if (mirrored.get(record.id) === record.updatedAt) return;
    await files.writeRecord(record);
    mirrored.set(record.id, record.updatedAt);
  }

  /** Results written to disk while NATS was down go to KV; one already there (from elsewhere) stands. */
  async function pushLocalResults(record: Orchestration): Promise<void> {
    const bucket = await kv(() => buckets.checkpoints());
    for (const subtask of record.subtasks) {
      const body = await files.readResult(record.id, subtask.id);
      if (body) await kv(() => bucket.create(sharedKeys.result(record.id, subtask.id), body)).catch((err: unknown) => {
        if (!isLoomError(err, 'LOOM_ERR_CONFLICT')) throw err;
      });
    }
  }

  async function updateShared(id: string, mutate: (record: Orchestration) => boolean) {
    const bucket = await kv(() => buckets.orchestrations());
    for (let attempt = 0; attempt < 50; attempt++) {
      const entry = await kv(() => bucket.get(id));
      const remote = entry ? own(entry.value) : undefined;
      const unsynced = await files.isUnsynced(id);
      const local = unsynced || !remote ? await ownLocal(id) : undefined;
      const base = remote && local ? mergeOrchestrations(remote, local) : (remote ?? local);
      if (!base) throw notFound(id);
      const next = structuredClone(base);
      const changed = mutate(next);
      if (changed || unsynced || !remote) {
        if (changed) finalize(next);
        try {
          if (entry) await kv(() => bucket.update(id, next, entry.revision));
          else await kv(() => bucket.create(id, next));
        } catch (err) {
          if (isLoomError(err, 'LOOM_ERR_CONFLICT')) continue;
          throw err;
        }
      }
      if (unsynced) {
        await pushLocalResults(next);
        await files.clearUnsynced(id);
        log.info({ orchestrationId: id }, 'orchestration written while NATS was unavailable is now in KV');
      }
      await mirror(next);
      return { record: next, changed, ...sharedAccess };
    }
    throw new LoomError('LOOM_ERR_CONFLICT', `orchestration ${id} kept changing under this update (50 attempts); retry`, { orchestrationId: id });
  }

  async function updateLocal(id: string, mutate: (record: Orchestration) => boolean, reason: string | undefined) {
    const record = await ownLocal(id);
    if (!record) throw notFound(id);
    const changed = mutate(record);
    if (changed) {
      finalize(record);
      await files.writeRecord(record);
      await files.markUnsynced(id);
    }
    return { record, changed, ...degradedAccess(reason) };
  }

  const either = createEither(link, log);

  const store = {
    ...createResultStore({ files, buckets, either, log }),

    async create(record: Orchestration): Promise<Access> {
      finalize(record);
      await files.writeRecord(record);
      return either(
        async () => {
          await kv(async () => (await buckets.orchestrations()).create(record.id, record));
          mirrored.set(record.id, record.updatedAt);
          return sharedAccess;
        },
        async (reason) => {
          await files.markUnsynced(record.id);
          return degradedAccess(reason);
        },
      );
    },

    /** Changes one orchestration: `mutate` edits the copy it gets and returns whether it changed anything. */
    update(id: string, mutate: (record: Orchestration) => boolean): Promise<{ record: Orchestration; changed: boolean } & Access> {
      return lock(id, () => either(() => updateShared(id, mutate), (reason) => updateLocal(id, mutate, reason)));
    },

    async read(id: string): Promise<{ record: Orchestration } & Access> {
      return either(
        async () => {
          if (await files.isUnsynced(id)) return store.update(id, () => false);
          const entry = await kv(async () => (await buckets.orchestrations()).get(id));
          const record = (entry ? own(entry.value) : undefined) ?? (await ownLocal(id));
          if (!record) throw notFound(id);
          await mirror(record);
          return { record, ...sharedAccess };
        },
        async (reason) => {
          const record = await ownLocal(id);
          if (!record) throw notFound(id);
          return { record, ...degradedAccess(reason) };
        },
      );
    },

    async list(): Promise<{ records: Orchestration[] } & Access> {
      const local = await files.listRecords(projectId);
      return either(
        async () => {
          const entries = await kv(async () => (await buckets.orchestrations()).list());
          const byId = new Map<string, Orchestration>();
          for (const entry of entries) {
            const record = own(entry.value);
            if (record) byId.set(record.id, record);
          }
          for (const record of local) {
            const remote = byId.get(record.id);
            byId.set(record.id, remote ? mergeOrchestrations(remote, record) : record);
          }
          return { records: [...byId.values()], ...sharedAccess };
        },
        async (reason) => ({ records: local, ...degradedAccess(reason) }),
      );
    },

    unsynced: () => files.listUnsynced(projectId),

    /** Writes a copy read from KV to the work directory (unless it holds changes not merged yet). */
    async mirror(record: Orchestration): Promise<void> {
      if (record.projectId !== projectId || (await files.isUnsynced(record.id))) return;
      await mirror(record);
    },
  };
  return store;
}
