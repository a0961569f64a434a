// Bearer tokens: parsed from API_TOKENS or options, kept only as SHA-256 digests, compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import { LoomError, RESERVED_PROJECT_IDS, TOKEN_PATTERN, type WeftCaller } from '../../../core/index.js';
import type { ApiOptions } from './options.js';

export interface TokenEntry {
  /** "token #2": how logs and errors refer to a token, never by its value. */
  label: string;
  digest: Buffer;
  projects: 'all' | string[];
}

const digest = (value: string) => createHash('sha256').update(value).digest();

function parseProjects(list: string[], label: string): string[] {
  for (const project of list) {
    if (!TOKEN_PATTERN.test(project) || RESERVED_PROJECT_IDS.includes(project)) throw new LoomError('LOOM_ERR_INVALID_OPTIONS', `API_TOKENS: ${label} is bound to "${project}", which is not a valid projectId`, { field: 'tokens' });
  }
  return list;
}

/** "a,b" = two unbound tokens; "a:p1,p2;b" = a bound to p1 and p2, b unbound; "a,b:p1" = a unbound, b bound to p1. */
export function parseTokens(option: ApiOptions['tokens']): TokenEntry[] {
  const entries: Array<{ token: string; projects?: string[] }> = [];
  if (typeof option === 'string') {
    for (const part of option.split(/[;\s]+/).filter(Boolean)) {
      const colon = part.indexOf(':');
      // "a,b:p1,p2": commas before the colon separate tokens; the last of them is the one bound to the projects.
      const tokens = (colon === -1 ? part : part.slice(0, colon)).split(',').filter(Boolean);
      const bound = colon === -1 ? undefined : tokens.pop();
      for (const token of tokens) entries.push({ token });
      if (bound !== undefined) entries.push({ token: bound, projects: part.slice(colon + 1).split(',').filter(Boolean) });
    }
  } else entries.push(...option);
  return entries.map((entry, index) => {
    const label = `token #${index + 1}`;
    if (entry.token.length < 8) throw new LoomError('LOOM_ERR_INVALID_OPTIONS', `API_TOKENS: ${label} is shorter than 8 characters`, { field: 'tokens' });
    return { label, digest: digest(entry.token), projects: entry.projects ? parseProjects(entry.projects, label) : 'all' };
  });
}

/** The entry a presented token matches; every configured digest is compared, so timing says nothing about which. */
export function matchToken(entries: ReadonlyArray<TokenEntry>, presented: string): TokenEntry | undefined {
  const candidate = digest(presented);
  let found: TokenEntry | undefined;
  for (const entry of entries) if (timingSafeEqual(entry.digest, candidate) && !found) found = entry;
  return found;
}

export function callerOf(entry: TokenEntry | undefined): WeftCaller {
  return { projects: entry ? entry.projects : 'all', via: 'rest' };
}
