// The checks behind `loom doctor`: config, identity, plugins, NATS, JetStream, and what `loom start`/`loom up` would run.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { LoadedConfig } from '../core/index.js';
import { createSilentLogger } from '../core/log.js';
import { deriveIdentity, type Identity } from '../core/isolation/identity.js';
import { createNatsService, redactUrl } from '../core/nats/connection.js';
import { answers, DEFAULT_LOCAL_URL, loominalHome } from '../core/nats/embedded.js';
import { readRecordedUrl } from '../core/nats/managed-server.js';
import { findNatsServerBinary } from '../core/nats/binary.js';
import { fabricParts } from './fabric.js';
import { presetRunners } from './preset-runners.js';
import { createPresetKernel, loadProjectConfig } from './runtime.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';
export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
}

export interface DoctorReport {
  ok: boolean;
  checks: Check[];
  config?: { file?: string; legacyFile?: string; preset?: string };
  project?: { id: string; source: string; path: string };
  agent?: { id: string; source: string; principal: string; subagentType?: string };
  nats?: { url?: string; source: string; version?: string; jetstream?: boolean };
  wouldStart?: { start: { preset: string; plugins: string[] } | null; up: string[] };
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));
type Env = Readonly<Record<string, string | undefined>>;

export async function runDoctorChecks(cwd: string, env: Env): Promise<DoctorReport> {
  const checks: Check[] = [];
  const report: DoctorReport = { ok: false, checks };
  const add = (name: string, status: CheckStatus, detail: string) => checks.push({ name, status, detail });

  let loaded: LoadedConfig;
  try {
    loaded = await loadProjectConfig(cwd, env);
  } catch (err) {
    add('config', 'fail', message(err));
    return report;
  }
  const { config } = loaded;
  report.config = { ...(loaded.filepath ? { file: loaded.filepath } : {}), ...(loaded.legacyFile ? { legacyFile: loaded.legacyFile } : {}), ...(config.preset ? { preset: config.preset } : {}) };
  add('config', loaded.filepath ? 'ok' : 'warn', loaded.filepath ? `valid: ${loaded.filepath}${loaded.legacyFile ? ` (+ ${loaded.legacyFile})` : ''}` : 'no loom.config.ts found: defaults and environment only ("loom init" writes one)');

  let identity: Identity;
  try {
    identity = deriveIdentity({ env, cwd, ...(config.project ? { configProject: config.project } : {}) });
  } catch (err) {
    add('identity', 'fail', message(err));
    return report;
  }
  const projectSource = { env: 'LOOMINAL_PROJECT_ID', config: `"project" in ${loaded.filepath ?? 'config'}`, 'git-remote': 'hash of the git remote', path: 'hash of the project path' }[identity.projectIdSource];
  report.project = { id: identity.projectId, source: projectSource, path: identity.projectPath };
  add('project', 'ok', `${identity.projectId} (from ${projectSource}; path ${identity.projectPath})`);
  const agentSource = env.LOOMINAL_AGENT_ID ? 'LOOMINAL_AGENT_ID' : 'sha256(hostname + project path)';
  const agentDetail = identity.subagentType ? `sub-agent "${identity.subagentType}" of ${identity.parentAgentId} (${agentSource})` : agentSource;
  report.agent = { id: identity.agentId, source: agentDetail, principal: identity.principal, ...(identity.subagentType ? { subagentType: identity.subagentType } : {}) };
  add('agent', 'ok', `${identity.agentId} (from ${agentDetail}); principal ${identity.principal}`);

  let start: { preset: string; plugins: string[] } | null = null;
  if (!config.preset) add('preset', 'warn', 'no "preset" in the config: "loom start" has nothing to run ("loom warp|pattern|shuttle" still work)');
  else {
    try {
      const kernel = await createPresetKernel({ preset: config.preset, cwd, env, loaded });
      start = { preset: config.preset, plugins: [...kernel.plugins] };
      await kernel.stop();
      const runnable = presetRunners[config.preset] !== undefined;
      add('preset', runnable ? 'ok' : 'warn', `${config.preset}: ${start.plugins.length} plugins (${start.plugins.join(', ') || 'none'})${runnable ? '' : `; ${config.preset} is not available yet in this build`}`);
    } catch (err) {
      add('preset', 'fail', message(err));
    }
  }
  report.wouldStart = { start, up: fabricParts.map((part) => part.describe) };

  await checkNats(config, loaded, env, report, add);
  report.ok = checks.every((check) => check.status !== 'fail');
  return report;
}

async function checkNats(config: LoadedConfig['config'], loaded: LoadedConfig, env: Env, report: DoctorReport, add: (name: string, status: CheckStatus, detail: string) => void): Promise<void> {
  let url = config.nats.url;
  let source = url ? (env.NATS_URL ? 'NATS_URL' : `nats.url in ${loaded.filepath ?? 'config'}`) : '';
  if (!url) {
    const preferred = config.nats.port ? `nats://127.0.0.1:${config.nats.port}` : DEFAULT_LOCAL_URL;
    const recorded = readRecordedUrl(join(loominalHome(env), 'nats.url'));
    if (await answers(preferred)) [url, source] = [preferred, 'a local server answering (embedded default)'];
    else if (recorded && (await answers(recorded))) [url, source] = [recorded, `a managed server recorded in ${join(loominalHome(env), 'nats.url')}`];
    else {
      report.nats = { source: 'none running' };
      try {
        const bin = findNatsServerBinary({ ...process.env, ...env });
        add('nats', 'warn', `no server answers on ${preferred}; "loom up" (or any loom server) will start ${bin} (${binaryVersion(bin)}) with its store in ${config.nats.storeDir ?? join(loominalHome(env), 'nats')}`);
      } catch (err) {
        add('nats', 'fail', message(err));
      }
      return;
    }
  }
  report.nats = { url: redactUrl(url), source };
  const nats = createNatsService({ config: { ...config.nats, url }, env, log: createSilentLogger(), name: 'loom-doctor' });
  try {
    const connection = await nats.connection();
    const version = connection.info?.version;
    report.nats.version = version;
    add('nats', 'ok', `reachable at ${redactUrl(url)} (from ${source})`);
    add('server version', 'ok', `nats-server ${version ?? 'unknown'}`);
    try {
      const info = await (await nats.manager()).getAccountInfo();
      report.nats.jetstream = true;
      add('jetstream', 'ok', `enabled (${info.streams} streams, ${info.consumers} consumers in this account)`);
    } catch (err) {
      report.nats.jetstream = false;
      add('jetstream', 'fail', `not available on ${redactUrl(url)}: ${message(err)}. Start nats-server with -js (loom up does).`);
    }
  } catch (err) {
    add('nats', 'fail', message(err));
  } finally {
    await nats.close();
  }
}

function binaryVersion(bin: string): string {
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8', timeout: 5000 }).trim();
  } catch {
    return 'version unknown';
  }
}
