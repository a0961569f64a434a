// The REST client behind `loom work|agents|dlq|stats`: --api/--token/--project, errors with the server's code.
import type { Command } from 'commander';
import { LoomError, type LoomErrorCode } from '../core/index.js';

export interface ApiFlags {
  api?: string;
  token?: string;
  project?: string;
  json?: boolean;
}

/** Adds the options every API command shares. */
export function withApiOptions(command: Command): Command {
  return command
    .option('--api <url>', 'weft URL (LOOMINAL_API_URL; default http://API_HOST:API_PORT, i.e. http://127.0.0.1:3000)')
    .option('--token <token>', 'bearer token (LOOMINAL_API_TOKEN)')
    .option('--project <projectId>', 'project (default: weft’s project, or the token’s only one)')
    .option('--json', 'print the JSON answer, for scripts');
}

export interface ApiClient {
  readonly base: string;
  request<T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, args?: { query?: Record<string, string | number | boolean | undefined>; body?: Record<string, unknown> }): Promise<T>;
}

export function createApiClient(flags: ApiFlags, env: Readonly<Record<string, string | undefined>> = process.env): ApiClient {
  const base = (flags.api ?? env.LOOMINAL_API_URL ?? `http://${env.API_HOST || '127.0.0.1'}:${env.API_PORT || '3000'}`).replace(/\/+$/, '');
  const token = flags.token ?? env.LOOMINAL_API_TOKEN;
  return {
    base,
    async request(method, path, args = {}) {
      const url = new URL(base + path);
      const query = { ...(flags.project ? { projectId: flags.project } : {}), ...(args.query ?? {}) };
      if (method === 'GET' || method === 'DELETE' || !args.body) for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
      const body = args.body ? JSON.stringify({ ...(flags.project ? { projectId: flags.project } : {}), ...args.body }) : undefined;
      let response: Response;
      try {
        response = await fetch(url, { method, headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) }, ...(body ? { body } : {}) });
      } catch (err) {
        const reason = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
        throw new LoomError('LOOM_ERR_UNAVAILABLE', `cannot reach weft at ${base} (${reason}). Start it with "loom weft" or "loom up", or pass --api <url>.`, { api: base });
      }
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : {};
      } catch {
        throw new LoomError('LOOM_ERR_INTERNAL', `weft at ${base} answered ${response.status} with something that is not JSON`, { status: response.status });
      }
      if (!response.ok) {
        const error = (parsed as { error?: { code?: string; message?: string; details?: Record<string, unknown> } }).error;
        throw new LoomError((error?.code ?? 'LOOM_ERR_INTERNAL') as LoomErrorCode, error?.message ?? `weft answered ${response.status}`, { status: response.status, ...(error?.details ?? {}) });
      }
      return parsed as never;
    },
  };
}

/** Prints rows as aligned columns. */
export function printTable(rows: ReadonlyArray<ReadonlyArray<string>>, out: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): void {
  if (!rows.length) return;
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  for (const row of rows) out(row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd());
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export const short = (text: string | undefined, max = 48) => (!text ? '' : text.length > max ? `${text.slice(0, max - 1)}…` : text);
