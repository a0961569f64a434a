// What `loom targets add|update` send: a target from a JSON file and/or flags (flags win), checked for shape by weft.
import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { LoomError } from '../core/index.js';

export interface TargetFlags {
  file?: string;
  name?: string;
  mechanism?: string;
  agentType?: string;
  capability?: string[];
  boundary?: string[];
  maxConcurrent?: number;
  cooldownMs?: number;
  enable?: boolean;
  disable?: boolean;
  config?: string;
}

/** Fields of a stored target that are not part of what POST/PUT take. */
const STORED_ONLY = ['id', 'projectId', 'createdAt', 'updatedAt'] as const;

export const repeatable = (value: string, previous: string[] = []) => [...previous, value];

export const wholeNumber = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number >= 0');
  return n;
};

function jsonObject(text: string, what: string, field: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new LoomError('LOOM_ERR_INVALID_INPUT', `${field}: ${what} is not valid JSON (${err instanceof Error ? err.message : String(err)})`, { field });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new LoomError('LOOM_ERR_INVALID_INPUT', `${field}: ${what} must be a JSON object`, { field });
  return parsed as Record<string, unknown>;
}

function readText(path: string, field: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (err) {
    throw new LoomError('LOOM_ERR_INVALID_INPUT', `${field}: cannot read ${path === '-' ? 'stdin' : path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { field });
  }
}

/** The target fields the flags set (only those given); --config is a JSON object, or @file holding one. */
export function targetFromFlags(flags: TargetFlags): Record<string, unknown> {
  if (flags.enable && flags.disable) throw new LoomError('LOOM_ERR_INVALID_INPUT', '--enable and --disable: give one of them', { field: 'enabled' });
  const config = flags.config === undefined ? undefined : flags.config.startsWith('@') ? jsonObject(readText(flags.config.slice(1), '--config'), flags.config.slice(1), '--config') : jsonObject(flags.config, 'the value', '--config');
  const fields: Record<string, unknown> = {
    name: flags.name,
    mechanism: flags.mechanism,
    agentType: flags.agentType,
    capabilities: flags.capability,
    boundaries: flags.boundary,
    maxConcurrent: flags.maxConcurrent,
    cooldownMs: flags.cooldownMs,
    enabled: flags.enable ? true : flags.disable ? false : undefined,
    config,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/** The target in --file (a JSON object; "-" reads stdin), or {} without one. */
export function targetFromFile(flags: TargetFlags): Record<string, unknown> {
  return flags.file === undefined ? {} : jsonObject(readText(flags.file, '--file'), flags.file === '-' ? 'stdin' : flags.file, '--file');
}

/** The body of POST /api/targets: the file, the flags over it, and the id from the argument or the file. */
export function createBody(id: string | undefined, flags: TargetFlags): Record<string, unknown> {
  const fromFile = targetFromFile(flags);
  if (id !== undefined && fromFile.id !== undefined && fromFile.id !== id) throw new LoomError('LOOM_ERR_INVALID_INPUT', `id: the argument says "${id}" but ${flags.file} says ${JSON.stringify(fromFile.id)}`, { field: 'id' });
  const body = { ...fromFile, ...targetFromFlags(flags), ...(id !== undefined ? { id } : {}) };
  if (body.id === undefined) throw new LoomError('LOOM_ERR_INVALID_INPUT', 'id: give the target id as an argument (loom targets add <id> …) or as "id" in --file', { field: 'id' });
  return body;
}

/** The body of PUT /api/targets/:id: the stored target, then the file, then the flags (a PUT replaces the whole target). */
export function updateBody(id: string, current: Record<string, unknown>, flags: TargetFlags): Record<string, unknown> {
  const fromFile = targetFromFile(flags);
  if (fromFile.id !== undefined && fromFile.id !== id) throw new LoomError('LOOM_ERR_INVALID_INPUT', `id: the argument says "${id}" but ${flags.file} says ${JSON.stringify(fromFile.id)}; a target's id cannot change`, { field: 'id' });
  const changes = { ...fromFile, ...targetFromFlags(flags) };
  if (!Object.keys(changes).some((key) => key !== 'id')) throw new LoomError('LOOM_ERR_INVALID_INPUT', 'nothing to change: give --file or at least one of --name, --mechanism, --agent-type, --capability, --boundary, --max-concurrent, --cooldown-ms, --enable, --disable, --config', { field: 'flags' });
  const merged: Record<string, unknown> = { ...current, ...changes };
  for (const key of STORED_ONLY) delete merged[key];
  // A project named in the file travels with the request; otherwise --project (or weft's default) decides.
  if (fromFile.projectId !== undefined) merged.projectId = fromFile.projectId;
  return merged;
}
