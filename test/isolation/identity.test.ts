// projectId precedence (env → config → git remote → path), agent ids, sub-agent ids and the principal.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { deriveIdentity, normalizeGitRemote, sha256, subagentId } from '../../core/isolation/identity.js';
import { createTempProject, type TempProject } from '../fixtures/temp-project.js';

const projects: TempProject[] = [];
afterAll(() => projects.forEach((project) => project.remove()));

function gitProject(remote?: string): string {
  const project = createTempProject();
  projects.push(project);
  execFileSync('git', ['init', '-q', project.dir]);
  if (remote) execFileSync('git', ['-C', project.dir, 'remote', 'add', 'origin', remote]);
  return project.dir;
}

const HEX32 = /^[0-9a-f]{32}$/;

describe('projectId', () => {
  it('comes from LOOMINAL_PROJECT_ID first, over the config and the git remote', () => {
    const dir = gitProject('git@github.com:acme/widgets.git');
    const identity = deriveIdentity({ env: { LOOMINAL_PROJECT_ID: 'from-env' }, cwd: dir, configProject: 'from-config' });
    expect(identity).toMatchObject({ projectId: 'from-env', projectIdSource: 'env' });
  });

  it('comes from the config when the environment has none', () => {
    const dir = gitProject('git@github.com:acme/widgets.git');
    expect(deriveIdentity({ env: {}, cwd: dir, configProject: 'from-config' })).toMatchObject({ projectId: 'from-config', projectIdSource: 'config' });
  });

  it('is the same for the same git remote in two different directories', () => {
    const a = deriveIdentity({ env: {}, cwd: gitProject('https://github.com/acme/widgets.git') });
    const b = deriveIdentity({ env: {}, cwd: gitProject('git@github.com:Acme/Widgets.git') });
    expect(a.projectIdSource).toBe('git-remote');
    expect(a.projectId).toMatch(/^[0-9a-f]{16}$/);
    expect(b.projectId).toBe(a.projectId);
    expect(a.projectPath).not.toBe(b.projectPath);
    expect(a.projectId).toBe(sha256('github.com/acme/widgets').slice(0, 16));
  });

  it('differs for different remotes', () => {
    const a = deriveIdentity({ env: {}, cwd: gitProject('https://github.com/acme/widgets.git') });
    const b = deriveIdentity({ env: {}, cwd: gitProject('https://github.com/acme/gadgets.git') });
    expect(a.projectId).not.toBe(b.projectId);
  });

  it('falls back to a hash of the real project path without a remote', () => {
    const dir = gitProject();
    const identity = deriveIdentity({ env: {}, cwd: dir });
    expect(identity).toMatchObject({ projectIdSource: 'path', projectId: sha256(dir).slice(0, 16), projectPath: dir });
  });

  it('uses MCP_PROJECT_PATH instead of the working directory', () => {
    const project = gitProject();
    const identity = deriveIdentity({ env: { MCP_PROJECT_PATH: project }, cwd: '/' });
    expect(identity.projectPath).toBe(project);
    expect(identity.projectId).toBe(sha256(project).slice(0, 16));
  });

  it('rejects a LOOMINAL_PROJECT_ID that cannot be a subject token, naming the variable', () => {
    expect(() => deriveIdentity({ env: { LOOMINAL_PROJECT_ID: 'team.*' }, cwd: '/' })).toThrow(/LOOM_ERR_INVALID_NAME: LOOMINAL_PROJECT_ID must be/);
  });
});

describe('git remote normalization', () => {
  it.each([
    'git@github.com:Acme/Widgets.git',
    'https://github.com/acme/widgets',
    'https://user@github.com/acme/widgets.git',
    'ssh://git@github.com/acme/widgets.git',
    'ssh://git@github.com:22/acme/widgets.git',
    'git+https://github.com/acme/widgets.git/',
  ])('%s is github.com/acme/widgets', (url) => {
    expect(normalizeGitRemote(url)).toBe('github.com/acme/widgets');
  });
});

describe('agent ids', () => {
  it('are 32 hex, stable across restarts, and differ by host and by project path', () => {
    const input = { env: {}, cwd: '/srv/project-a', hostname: 'build-1' };
    const first = deriveIdentity(input);
    expect(first.agentId).toMatch(HEX32);
    expect(deriveIdentity(input).agentId).toBe(first.agentId);
    expect(first.agentId).toBe(sha256('build-1' + first.projectPath).slice(0, 32));
    expect(deriveIdentity({ ...input, hostname: 'build-2' }).agentId).not.toBe(first.agentId);
    expect(deriveIdentity({ ...input, cwd: '/srv/project-b' }).agentId).not.toBe(first.agentId);
  });

  it('LOOMINAL_AGENT_ID overrides, and must be hex', () => {
    expect(deriveIdentity({ env: { LOOMINAL_AGENT_ID: 'c'.repeat(32) }, cwd: '/' }).agentId).toBe('c'.repeat(32));
    expect(() => deriveIdentity({ env: { LOOMINAL_AGENT_ID: 'not-hex' }, cwd: '/' })).toThrow(/LOOMINAL_AGENT_ID must be a hex id/);
  });

  it('a sub-agent gets sha256(parent id + type), in the same format, and remembers its parent', () => {
    const parent = 'd'.repeat(32);
    const identity = deriveIdentity({ env: { LOOMINAL_AGENT_ID: parent, LOOMINAL_SUBAGENT_TYPE: 'reviewer' }, cwd: '/' });
    expect(identity.agentId).toBe(sha256(`${parent}reviewer`).slice(0, 32));
    expect(identity.agentId).toBe(subagentId(parent, 'reviewer'));
    expect(identity.agentId).toMatch(HEX32);
    expect(identity).toMatchObject({ parentAgentId: parent, subagentType: 'reviewer' });
    expect(subagentId(parent, 'tester')).not.toBe(identity.agentId);
  });

  it('a sub-agent type is validated as a token', () => {
    expect(() => deriveIdentity({ env: { LOOMINAL_SUBAGENT_TYPE: 'Code Reviewer' }, cwd: '/' })).toThrow(/LOOMINAL_SUBAGENT_TYPE must be/);
  });
});

describe('principal', () => {
  it('is LOOMINAL_PRINCIPAL when set, else user@host, with a 16-hex hash for bucket names', () => {
    const set = deriveIdentity({ env: { LOOMINAL_PRINCIPAL: 'ada@example.org' }, cwd: '/', hostname: 'h' });
    expect(set.principal).toBe('ada@example.org');
    expect(set.principalHash).toBe(sha256('ada@example.org').slice(0, 16));
    const derived = deriveIdentity({ env: {}, cwd: '/', hostname: 'workstation' });
    expect(derived.principal).toMatch(/^.+@workstation$/);
  });
});
