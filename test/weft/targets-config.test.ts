// Spin-up targets declared in loom.config.ts: checked when weft starts, written to KV by the acting instance (on start
// or when it takes the lease over), winning over KV on their id while targets created through the API stay.
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, spawnLoom, startFabric, waitFor, type Fabric, type WeftProcess } from './harness.js';
import { openKv } from '../../core/testing/kv.js';

const PROJECT = 'weft-declared';
let fabric: Fabric;

const config = (targets: unknown[]) => `export default { options: { 'weft:coordinator': { targets: ${JSON.stringify(targets, null, 2)} } } };\n`;
const laptop = { id: 'laptop', name: 'My laptop', mechanism: 'local', agentType: 'worker', capabilities: ['build', 'test'], maxConcurrent: 2, cooldownMs: 0, config: { command: ['loom', 'agent', '--capability', 'build', '--', 'true'] } };
const hook = { id: 'hook', mechanism: 'webhook', agentType: 'copilot-cli', capabilities: ['review'], boundaries: ['corporate'], enabled: false, config: { url: 'http://127.0.0.1:9/start/{{workId}}' } };

beforeAll(async () => {
  fabric = await startFabric(PROJECT, {
    'declared.config.ts': config([laptop, hook]),
    'unknown-mechanism.config.ts': config([{ ...laptop, id: 'gpu', mechanism: 'quantum' }]),
    'bad-config.config.ts': config([hook, { ...laptop, config: { command: [], stopGraceMs: 'soon' } }]),
    'duplicate.config.ts': config([laptop, { ...hook, id: 'laptop' }]),
  });
});
afterAll(async () => {
  await fabric?.stop();
});

const targets = async (weft: WeftProcess) => {
  const answer = await http(weft.url, 'GET', '/api/targets');
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return Object.fromEntries((answer.body.items as Array<{ id: string }>).map((t) => [t.id, t])) as Record<string, Record<string, any>>;
};

async function refusedStart(configFile: string): Promise<{ code: number | null; stderr: string }> {
  const proc = spawnLoom(['weft', '--json'], fabric.env({ API_PORT: '0', LOOMINAL_CONFIG: configFile }), fabric.project.dir);
  const code = await waitFor(() => (proc.child.exitCode !== null ? { code: proc.child.exitCode } : undefined), `weft with ${configFile} to exit (stdout: ${proc.stdout()})`);
  return { code: code.code, stderr: proc.stderr() };
}

describe('targets declared in loom.config.ts', () => {
  it('are written to KV before weft reports ready: a declared id replaces the stored target, API-created targets stay, and an unchanged target is not rewritten', async () => {
    const plain = await fabric.startWeft();
    for (const body of [
      { id: 'laptop', mechanism: 'local', agentType: 'claude-code', capabilities: ['old'], maxConcurrent: 5, config: { command: ['old-worker'] } },
      { id: 'manual', mechanism: 'local', agentType: 'worker', capabilities: ['misc'], config: { command: ['loom', 'agent', '--capability', 'misc', '--', 'true'] } },
    ]) {
      const created = await http(plain.url, 'POST', '/api/targets', { body });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    const before = await targets(plain);
    await plain.kill('SIGTERM');

    const declared = await fabric.startWeft({ LOOMINAL_CONFIG: 'declared.config.ts' });
    const after = await targets(declared);
    expect(Object.keys(after).sort()).toEqual(['hook', 'laptop', 'manual']);
    // Declared wins on its id: every field is the config's, the mechanism's defaults filled in, the creation time kept.
    expect(after.laptop).toMatchObject({ projectId: PROJECT, name: 'My laptop', agentType: 'worker', capabilities: ['build', 'test'], boundaries: [], enabled: true, maxConcurrent: 2, cooldownMs: 0 });
    expect(after.laptop!.config).toEqual({ command: laptop.config.command, env: {}, stopGraceMs: 10_000 });
    expect(after.laptop!.createdAt).toBe(before.laptop!.createdAt);
    expect(after.laptop!.updatedAt > before.laptop!.updatedAt).toBe(true);
    expect(after.hook).toMatchObject({ mechanism: 'webhook', agentType: 'copilot-cli', boundaries: ['corporate'], enabled: false, maxConcurrent: 1, cooldownMs: 30_000 });
    expect(after.hook!.config).toMatchObject({ url: hook.config.url, method: 'POST', successCodes: [200, 201, 202, 204] });
    expect(after.manual).toEqual(before.manual);

    // It lives in KV, where the spin-up manager and any other weft read it.
    const nc = await connect({ servers: fabric.nats.url });
    const kv = await openKv(nc, `weft-${PROJECT}-targets`);
    expect((await kv.get('laptop'))?.json<{ maxConcurrent: number }>()).toMatchObject({ maxConcurrent: 2 });
    await nc.close();

    // Started again with the same config: nothing to change, so nothing is rewritten.
    await declared.kill('SIGTERM');
    const again = await fabric.startWeft({ LOOMINAL_CONFIG: 'declared.config.ts' });
    const third = await targets(again);
    expect(third.laptop).toEqual(after.laptop);
    expect(third.hook).toEqual(after.hook);
    await again.kill('SIGTERM');
  });

  it('are written by a standby only once it takes the lease over', async () => {
    const env = { WEFT_LEASE_TTL_MS: '2000' };
    const acting = await fabric.startWeft(env);
    await http(acting.url, 'DELETE', '/api/targets/hook');
    const standby = await fabric.startWeft({ ...env, LOOMINAL_CONFIG: 'declared.config.ts' });
    expect((await http(standby.url, 'GET', '/health')).body.leader).toBe(false);
    expect((await targets(standby)).hook).toBeUndefined();

    await acting.kill('SIGTERM'); // releases the lease: the standby takes over at its next check
    await waitFor(async () => (await http(standby.url, 'GET', '/health')).body.leader === true, 'the standby to take the lease over', 15_000);
    const written = await waitFor(async () => (await targets(standby)).hook, 'the declared target to be written by the new holder');
    expect(written).toMatchObject({ mechanism: 'webhook', enabled: false });
    await standby.kill('SIGTERM');
  });

  it('stop weft from starting when a mechanism is unknown (listing the loaded ones), a mechanism rejects the config (naming the field) or an id is declared twice', async () => {
    const unknown = await refusedStart('unknown-mechanism.config.ts');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('options["weft:coordinator"].targets[0] (target "gpu") › mechanism: "quantum" is not a loaded spin-up mechanism; known: github-actions, kubernetes, local, ssh, webhook');

    const bad = await refusedStart('bad-config.config.ts');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('options["weft:coordinator"].targets[1] (target "laptop") › config.command');
    expect(bad.stderr).toContain('(mechanism local)');

    const duplicate = await refusedStart('duplicate.config.ts');
    expect(duplicate.code).not.toBe(0);
    expect(duplicate.stderr).toMatch(/LOOM_ERR_INVALID_OPTIONS: .*targets\[1\]\.id: "laptop" is declared twice/);
  });
});
