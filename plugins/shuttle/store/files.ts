// The work directory: <workDir>/<orchestrationId>/{orchestration.json, <subtaskId>/context.md, result.json, synthesis.md, …}.
import { randomBytes } from 'node:crypto';
import { appendFile, link, mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ORCHESTRATION_ID_PATTERN } from '../ids.js';
import { parseOrchestration, type Checkpoint, type Orchestration } from '../orchestration/record.js';
import { parseResultBody, type ResultBody } from '../orchestration/result-body.js';

export type WorkFiles = ReturnType<typeof createWorkFiles>;

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Write to a temporary file, then rename: a reader never sees half a file, even another process's. */
async function writeAtomic(path: string, data: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

export function createWorkFiles(root: string) {
  const dir = (id: string) => join(root, id);
  const subtaskDir = (id: string, subtaskId: string) => join(root, id, subtaskId);
  const resultPath = (id: string, subtaskId: string) => join(subtaskDir(id, subtaskId), 'result.json');
  const unsyncedPath = (id: string) => join(dir(id), '.unsynced');

  const readRecord = async (id: string): Promise<Orchestration | undefined> => parseOrchestration(await readJson(join(dir(id), 'orchestration.json')));
  const orchestrationDirs = async () => (await readdir(root).catch(() => [] as string[])).filter((name) => ORCHESTRATION_ID_PATTERN.test(name));

  return {
    root,
    dir,
    subtaskDir,
    contextPath: (id: string, subtaskId: string) => join(subtaskDir(id, subtaskId), 'context.md'),
    resultPath,
    synthesisPath: (id: string) => join(dir(id), 'synthesis.md'),
    readRecord,
    async writeRecord(record: Orchestration): Promise<void> {
      await mkdir(dir(record.id), { recursive: true });
      await writeAtomic(join(dir(record.id), 'orchestration.json'), `${JSON.stringify(record, null, 2)}\n`);
    },
    /** Orchestrations of one project in the work directory (it may be shared by several projects). */
    async listRecords(projectId: string): Promise<Orchestration[]> {
      const records = await Promise.all((await orchestrationDirs()).map(readRecord));
      return records.filter((record): record is Orchestration => record !== undefined && record.projectId === projectId);
    },
    /** Marks a copy written while NATS was unavailable, so the retry loop merges it into KV. */
    async markUnsynced(id: string): Promise<void> {
      await mkdir(dir(id), { recursive: true });
      await writeFile(unsyncedPath(id), new Date().toISOString());
    },
    isUnsynced: (id: string) => exists(unsyncedPath(id)),
    async clearUnsynced(id: string): Promise<void> {
      await rm(unsyncedPath(id), { force: true });
    },
    async listUnsynced(projectId: string): Promise<string[]> {
      const marked = await Promise.all((await orchestrationDirs()).map(async (id) => ((await exists(unsyncedPath(id))) && (await readRecord(id))?.projectId === projectId ? id : undefined)));
      return marked.filter((id): id is string => id !== undefined);
    },
    async writeContext(id: string, subtaskId: string, text: string): Promise<string> {
      await mkdir(subtaskDir(id, subtaskId), { recursive: true });
      const path = join(subtaskDir(id, subtaskId), 'context.md');
      await writeAtomic(path, text);
      return path;
    },
    async readResult(id: string, subtaskId: string): Promise<ResultBody | undefined> {
      return parseResultBody(await readJson(resultPath(id, subtaskId)));
    },
    /** exclusive: only if no result file exists (hard link of a complete temp file: atomic and exclusive). */
    async writeResult(body: ResultBody, options: { exclusive: boolean }): Promise<boolean> {
      const folder = subtaskDir(body.orchestrationId, body.subtaskId);
      await mkdir(folder, { recursive: true });
      const path = resultPath(body.orchestrationId, body.subtaskId);
      const readable = () => writeAtomic(join(folder, 'result.md'), `${body.result}\n`);
      if (!options.exclusive) {
        await writeAtomic(path, `${JSON.stringify(body, null, 2)}\n`);
        await readable();
        return true;
      }
      const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(tmp, `${JSON.stringify(body, null, 2)}\n`);
      try {
        await link(tmp, path);
        await readable();
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw err;
      } finally {
        await unlink(tmp).catch(() => {});
      }
    },
    async appendCheckpoint(id: string, checkpoint: Checkpoint): Promise<void> {
      await mkdir(dir(id), { recursive: true });
      await appendFile(join(dir(id), 'checkpoints.jsonl'), `${JSON.stringify(checkpoint)}\n`);
    },
    async writeSynthesis(id: string, text: string): Promise<string> {
      await mkdir(dir(id), { recursive: true });
      const path = join(dir(id), 'synthesis.md');
      await writeAtomic(path, text);
      return path;
    },
  };
}
