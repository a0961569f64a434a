// A subtask's result as stored (KV checkpoints bucket and result.json): the text, the files it changed, who and how.
import { posix } from 'node:path';
import { z } from 'zod';
import { RESULT_SOURCES, type ResultMeta } from './record.js';

/** Bytes of UTF-8 a result may have: under the NATS default max payload (1 MiB) with room for the envelope. */
export const MAX_RESULT_BYTES = 512 * 1024;
export const MAX_FILES = 500;

export const resultBodySchema = z.object({
  orchestrationId: z.string(),
  subtaskId: z.string(),
  result: z.string(),
  files: z.array(z.string()),
  by: z.string(),
  at: z.string(),
  source: z.enum(RESULT_SOURCES),
});
export type ResultBody = z.infer<typeof resultBodySchema>;

export function parseResultBody(value: unknown): ResultBody | undefined {
  const parsed = resultBodySchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** Two spellings of one file (./src/a.ts, src//a.ts) must count as the same file when looking for conflicts. */
export function normalizeFile(file: string): string {
  const normalized = posix.normalize(file.trim().replace(/\\/g, '/'));
  return normalized.replace(/^(\.\/)+/, '').replace(/\/$/, '');
}

export function normalizeFiles(files: ReadonlyArray<string>): string[] {
  return [...new Set(files.map(normalizeFile).filter((file) => file !== '' && file !== '.'))];
}

/**
 * What a worker completed the work item with: a string (e.g. `loom agent` stdout), a JSON string or object
 * `{ result, files }`, or any other JSON (kept as formatted JSON).
 */
export function resultFromCompletion(value: unknown): { result: string; files: string[] } {
  let candidate = value;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (!trimmed.startsWith('{')) return { result: value, files: [] };
    try {
      candidate = JSON.parse(trimmed);
    } catch {
      return { result: value, files: [] };
    }
  }
  if (candidate && typeof candidate === 'object' && !Array.isArray(candidate)) {
    const { result, files } = candidate as { result?: unknown; files?: unknown };
    if (typeof result === 'string') {
      const list = Array.isArray(files) ? files.filter((file): file is string => typeof file === 'string') : [];
      return { result, files: normalizeFiles(list) };
    }
  }
  if (typeof value === 'string') return { result: value, files: [] };
  return { result: value === undefined ? '' : JSON.stringify(value, null, 2), files: [] };
}

/** Caps a completion result at MAX_RESULT_BYTES (a submit_result over the limit is refused instead). */
export function capResult(text: string): string {
  if (Buffer.byteLength(text) <= MAX_RESULT_BYTES) return text;
  const note = '\n\n[result truncated by shuttle: it exceeded 512 KB]';
  return Buffer.from(text).subarray(0, MAX_RESULT_BYTES - note.length - 4).toString('utf8').replace(/\uFFFD+$/, '') + note;
}

export function metaOf(body: ResultBody): ResultMeta {
  return { at: body.at, by: body.by, source: body.source, files: body.files, bytes: Buffer.byteLength(body.result) };
}
