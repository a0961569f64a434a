// Every built-in mechanism rejects a bad target config with a message that names the field (as weft shows it).
import { describe, expect, it } from 'vitest';
import { formatIssues, type LoomPlugin, type SpinUpMechanism } from '../../core/index.js';
import { createTestKernel } from '../../core/testing/kernel.js';
import { spinUpMechanisms } from '../../plugins/spin-up/index.js';

async function mechanisms(): Promise<Record<string, SpinUpMechanism>> {
  const kernel = await createTestKernel({ plugins: spinUpMechanisms as LoomPlugin[] });
  const found = Object.fromEntries(kernel.registries.spinUps.ids().map((id) => [id, kernel.registries.spinUps.get(id)]));
  await kernel.stop();
  return found;
}

/** What weft answers for a bad config: one line per problem, paths under "config". */
function problems(mechanism: SpinUpMechanism, config: unknown): string {
  const parsed = mechanism.targetSchema.safeParse(config);
  if (parsed.success) throw new Error(`expected ${JSON.stringify(config)} to be rejected`);
  return formatIssues(parsed.error, 'config', mechanism.targetSchema);
}

const ssh = { host: 'build.example.org', username: 'ci', privateKeyEnv: 'SSH_KEY', command: ['loom', 'agent', '--capability', 'x', '--', 'true'] };

describe('target configs', () => {
  it('the five built-in mechanisms are registered under their ids', async () => {
    expect(Object.keys(await mechanisms()).sort()).toEqual(['github-actions', 'kubernetes', 'local', 'ssh', 'webhook']);
  });

  it('local: a command is required, and unknown keys are named with the allowed ones', async () => {
    const { local } = await mechanisms();
    expect(problems(local!, { command: [] })).toBe('config.command: must name a command, e.g. ["loom", "agent", "--capability", "review", "--", "my-worker"]');
    expect(problems(local!, { command: ['true'], comand: 'x' })).toMatch(/^config\.comand: unknown key \(expected one of: command, cwd, env, logDir, stopGraceMs\)$/);
    expect(problems(local!, { command: ['true'], env: { 'BAD-NAME': '1' } })).toMatch(/^config\.env\.BAD-NAME: /);
    expect(local!.targetSchema.parse({ command: ['true'] })).toEqual({ command: ['true'], env: {}, stopGraceMs: 10_000 });
  });

  it('ssh: exactly one key source, one way to check the host, and a valid host and port', async () => {
    const { ssh: mechanism } = await mechanisms();
    expect(problems(mechanism!, { ...ssh, privateKeyEnv: undefined })).toBe('config.privateKeyPath: set exactly one of privateKeyPath (a key file) or privateKeyEnv (an environment variable holding the key)');
    expect(problems(mechanism!, { ...ssh, privateKeyPath: '/k' })).toContain('config.privateKeyPath: set exactly one of');
    expect(problems(mechanism!, { ...ssh, insecureSkipHostKeyCheck: true, hostKeyFingerprint: `SHA256:${'a'.repeat(43)}` })).toBe('config.insecureSkipHostKeyCheck: cannot be true together with hostKeyFingerprint or knownHostsPath: choose one way to check the host');
    expect(problems(mechanism!, { ...ssh, hostKeyFingerprint: 'MD5:aa:bb' })).toMatch(/^config\.hostKeyFingerprint: must be a SHA256 fingerprint/);
    expect(problems(mechanism!, { ...ssh, host: 'a b', port: 70000 })).toMatch(/config\.host: must be a host name or IP address; config\.port: /);
    expect(problems(mechanism!, { ...ssh, privateKeyEnv: 'has space' })).toMatch(/^config\.privateKeyEnv: must be the name of an environment variable/);
  });

  it('kubernetes: an image, valid names, quantities and labels', async () => {
    const { kubernetes } = await mechanisms();
    expect(problems(kubernetes!, {})).toMatch(/^config\.image: /);
    expect(problems(kubernetes!, { image: 'busybox', namespace: 'Agents_1' })).toMatch(/^config\.namespace: must be a DNS label/);
    expect(problems(kubernetes!, { image: 'busybox', resources: { limits: { memory: 'lots' } } })).toMatch(/^config\.resources\.limits\.memory: must be a Kubernetes quantity/);
    expect(problems(kubernetes!, { image: 'busybox', kubeconfigPath: '/a', kubeconfigEnv: 'KUBE' })).toBe('config.kubeconfigEnv: set kubeconfigPath or kubeconfigEnv, not both');
    expect(problems(kubernetes!, { image: 'busy box' })).toMatch(/^config\.image: must be an image reference without spaces/);
  });

  it('github-actions: the repository, workflow, token variable and input templates', async () => {
    const { 'github-actions': gha } = await mechanisms();
    expect(problems(gha!, { owner: 'acme', repo: 'agents', workflow: 'agent.yml' })).toMatch(/^config\.tokenEnv: /);
    expect(problems(gha!, { owner: 'acme', repo: 'agents', workflow: 'agent.yml', tokenEnv: 'T', apiUrl: 'ftp://x' })).toMatch(/^config\.apiUrl: must be an http\(s\) URL/);
  });

  it('webhook: an http(s) URL and known template variables', async () => {
    const { webhook } = await mechanisms();
    expect(problems(webhook!, { url: 'http://hooks.example.org/{{workID}}' })).toMatch(/^config\.url: unknown template variable \{\{workID\}\}; use \{\{operationId\}\}, \{\{projectId\}\}/);
    expect(problems(webhook!, { url: 'http://hooks.example.org/x', stop: { url: 'http://hooks.example.org/{{nope}}' } })).toMatch(/^config\.stop\.url: unknown template variable \{\{nope\}\}/);
    expect(problems(webhook!, { url: 'http://hooks.example.org/x', method: 'BREW' })).toMatch(/^config\.method: /);
  });
});
