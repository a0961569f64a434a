// projectId, agent id, sub-agent id and principal: derived the same way by every server, so they never disagree.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { hostname as osHostname, userInfo } from 'node:os';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { assertHexId, assertToken } from './tokens.js';

export interface Identity {
  projectId: string;
  /** How projectId was found: env, config, git-remote or path. */
  projectIdSource: 'env' | 'config' | 'git-remote' | 'path';
  projectPath: string;
  agentId: string;
  /** The root agent id when this process is a sub-agent. */
  parentAgentId?: string;
  subagentType?: string;
  principal: string;
  /** 16 hex of sha256(principal): used in bucket names, where a principal (user@host) cannot go. */
  principalHash: string;
  hostname: string;
}

export interface IdentityInput {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  configProject?: string;
  hostname?: string;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** git@github.com:Org/Repo.git, https://user@github.com/Org/Repo → github.com/org/repo */
export function normalizeGitRemote(url: string): string {
  let out = url.trim().replace(/\.git\/?$/, '').replace(/\/+$/, '');
  out = out.replace(/^[a-z+]+:\/\//i, '').replace(/^[^@/]+@/, '');
  out = out.replace(/^([^/:]+):(?!\d+\/)/, '$1/').replace(/^([^/:]+):\d+\//, '$1/');
  return out.toLowerCase();
}

function gitRemote(dir: string): string | undefined {
  try {
    const url = execFileSync('git', ['-C', dir, 'config', '--get', 'remote.origin.url'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim();
    return url || undefined;
  } catch {
    return undefined;
  }
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

export function deriveProjectId(input: IdentityInput, projectPath: string): Pick<Identity, 'projectId' | 'projectIdSource'> {
  const fromEnv = input.env.LOOMINAL_PROJECT_ID;
  if (fromEnv) return { projectId: assertToken('LOOMINAL_PROJECT_ID', fromEnv), projectIdSource: 'env' };
  if (input.configProject) return { projectId: assertToken('project', input.configProject), projectIdSource: 'config' };
  const remote = gitRemote(projectPath);
  if (remote) return { projectId: sha256(normalizeGitRemote(remote)).slice(0, 16), projectIdSource: 'git-remote' };
  return { projectId: sha256(projectPath).slice(0, 16), projectIdSource: 'path' };
}

export function deriveIdentity(input: IdentityInput): Identity {
  const { env } = input;
  const projectPath = realPath(env.MCP_PROJECT_PATH || input.cwd);
  const host = input.hostname ?? osHostname();
  const principal = env.LOOMINAL_PRINCIPAL || `${safeUser()}@${host}`;
  const rootId = env.LOOMINAL_AGENT_ID ? assertHexId('LOOMINAL_AGENT_ID', env.LOOMINAL_AGENT_ID) : sha256(host + projectPath).slice(0, 32);
  const subagentType = env.LOOMINAL_SUBAGENT_TYPE ? assertToken('LOOMINAL_SUBAGENT_TYPE', env.LOOMINAL_SUBAGENT_TYPE) : undefined;
  const identity: Identity = {
    ...deriveProjectId(input, projectPath),
    projectPath,
    agentId: subagentType ? subagentId(rootId, subagentType) : rootId,
    principal,
    principalHash: sha256(principal).slice(0, 16),
    hostname: host,
  };
  if (subagentType) {
    identity.parentAgentId = rootId;
    identity.subagentType = subagentType;
  }
  return identity;
}

/** A sub-agent's id: first 32 hex of sha256(parent id + type), the same format as any agent id. */
export function subagentId(parentId: string, type: string): string {
  return sha256(parentId + type).slice(0, 32);
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
