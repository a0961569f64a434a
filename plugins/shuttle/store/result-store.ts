// Results (KV "<orchestrationId>.result.<subtaskId>", and result.json) and other shared documents of an orchestration.
import { isLoomError, type Logger } from '../../../core/index.js';
import { parseResultBody, type ResultBody } from '../orchestration/result-body.js';
import { degradedAccess, kv, sharedAccess, type Access, type Either } from './access.js';
import type { WorkFiles } from './files.js';
import { sharedKeys, type SharedBuckets } from './shared.js';

export function createResultStore(deps: { files: WorkFiles; buckets: SharedBuckets; either: Either; log: Logger }) {
  const { files, buckets, either, log } = deps;
  return {
    /** Records a result once: the first one for a subtask stands (KV create, or an exclusive file while degraded). */
    async putResult(body: ResultBody): Promise<{ created: boolean; existing?: ResultBody } & Access> {
      const key = sharedKeys.result(body.orchestrationId, body.subtaskId);
      return either(
        async () => {
          const bucket = await kv(() => buckets.checkpoints());
          try {
            await kv(() => bucket.create(key, body));
          } catch (err) {
            if (!isLoomError(err, 'LOOM_ERR_CONFLICT')) throw err;
            const existing = parseResultBody((await kv(() => bucket.get(key)))?.value);
            return { created: false, ...(existing ? { existing } : {}), ...sharedAccess };
          }
          await files.writeResult(body, { exclusive: false });
          return { created: true, ...sharedAccess };
        },
        async (reason) => {
          const created = await files.writeResult(body, { exclusive: true });
          if (!created) {
            const existing = await files.readResult(body.orchestrationId, body.subtaskId);
            return { created, ...(existing ? { existing } : {}), ...degradedAccess(reason) };
          }
          await files.markUnsynced(body.orchestrationId);
          return { created, ...degradedAccess(reason) };
        },
      );
    },

    async getResult(id: string, subtaskId: string): Promise<ResultBody | undefined> {
      return either(
        async () => {
          const body = parseResultBody((await kv(async () => (await buckets.checkpoints()).get(sharedKeys.result(id, subtaskId))))?.value);
          if (!body) return files.readResult(id, subtaskId);
          // Results from other machines land in this work directory too.
          if (!(await files.readResult(id, subtaskId))) await files.writeResult(body, { exclusive: false });
          return body;
        },
        () => files.readResult(id, subtaskId),
      );
    },

    /** Writes a document to KV (best effort; the file is what counts). */
    async putShared(key: string, value: unknown): Promise<void> {
      await either(
        async () => {
          await kv(async () => (await buckets.checkpoints()).put(key, value));
        },
        async () => undefined,
      ).catch((err: unknown) => log.warn({ err, key }, 'could not store in KV'));
    },
  };
}
