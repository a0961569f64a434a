// `loom auth --spec auth.json`: per-agent and per-service NATS users with least-privilege permissions, and --provision.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { createLogger, LoomError } from '../../core/index.js';
import { generateAuth, AUTH_CONFIG_FILE, type GeneratedAuth } from '../auth/generate.js';
import { readEnvFile } from '../auth/credentials.js';
import { readAuthSpec } from '../auth/spec.js';
import type { Provisioned } from '../auth/provision.js';
import { reportAndExit } from '../exit.js';
import { loadProjectConfig } from '../runtime.js';

interface AuthFlags {
  spec: string;
  out: string;
  rotate?: boolean;
  provision?: boolean;
  json?: boolean;
}

async function provision(flags: AuthFlags, out: string, generated: GeneratedAuth): Promise<Provisioned> {
  const loaded = await loadProjectConfig();
  const url = loaded.config.nats.url;
  if (!url) throw new LoomError('LOOM_ERR_CONFIG_INVALID', '--provision needs the server to provision: set NATS_URL (or nats.url in loom.config.ts) to the server that runs with the generated config', { field: 'nats.url' });
  // The weft service user creates everything, unless the caller brings its own user (NATS_USER/NATS_PASS).
  const weft = readEnvFile(out, 'weft');
  const own = loaded.config.nats.user !== undefined;
  if (!own && !weft) throw new LoomError('LOOM_ERR_NOT_FOUND', `no weft credentials in ${out} to provision with: keep "weft" in the spec's services, or set NATS_USER and NATS_PASS`, { out });
  const nats = own ? loaded.config.nats : { ...loaded.config.nats, user: weft!.NATS_USER!, pass: weft!.NATS_PASS!, inboxPrefix: weft!.NATS_INBOX_PREFIX! };
  // Loaded on demand: provisioning pulls in every service plugin and shuttle, which `loom warp` must not pay for.
  const { provisionProject } = await import('../auth/provision.js');
  return provisionProject({ spec: readAuthSpec(flags.spec), nats, config: loaded.config, env: process.env, log: createLogger({ level: process.env.LOG_LEVEL ?? 'warn', component: 'loom-auth' }), publicKeys: generated.publicKeys });
}

function report(generated: GeneratedAuth, provisioned: Provisioned | undefined, json: boolean): void {
  if (json) {
    // Paths and user names only: passwords and signing keys stay in the files.
    process.stdout.write(`${JSON.stringify({ configFile: generated.configFile, users: generated.users, ...(provisioned ? { provisioned } : {}) })}\n`);
    return;
  }
  process.stdout.write(`wrote ${generated.configFile} (${generated.users.length} users) and one .env file of credentials per user:\n`);
  for (const user of generated.users) process.stdout.write(`  ${user.kind.padEnd(7)} ${user.user.padEnd(28)} ${user.envFile}\n`);
  if (provisioned) {
    process.stdout.write(`provisioned ${provisioned.streams.length} streams, ${provisioned.buckets.length} KV buckets and ${provisioned.consumers.length} work consumers\n`);
    const removed = provisioned.signingKeys.removed.length ? `, removed ${provisioned.signingKeys.removed.length} of agents no longer listed` : '';
    process.stdout.write(`provisioned the public signing keys of ${provisioned.signingKeys.agents.length} agents${removed}\n`);
  } else process.stdout.write(`next: add  include "${AUTH_CONFIG_FILE}"  to the nats-server config (same directory), restart it, then run this again with --provision (see docs/security.md)\n`);
}

export function registerAuthCommand(program: Command): void {
  program
    .command('auth')
    .description('generate a nats-server authorization config: one user per agent and service, each allowed only its own inbox, its project and the JetStream calls it needs')
    .requiredOption('--spec <file>', 'JSON spec: {project, agents: [{name, id, principal, capabilities}], services: ["weft", "shuttle"]}')
    .option('--out <dir>', 'where to write nats-auth.conf and the <user>.env credential files', 'loom-auth')
    .option('--rotate', 'new passwords for every user (default: keep the ones in existing .env files)')
    .option('--provision', 'also create the project\'s streams, KV buckets and work consumers on NATS_URL, as the weft user')
    .option('--json', 'print the result as JSON (never passwords)')
    .action(async (flags: AuthFlags) => {
      try {
        const out = resolve(flags.out);
        const generated = generateAuth(readAuthSpec(flags.spec), out, { rotate: flags.rotate ?? false });
        const provisioned = flags.provision ? await provision(flags, out, generated) : undefined;
        report(generated, provisioned, flags.json ?? false);
      } catch (err) {
        reportAndExit(err);
      }
      process.exit(0);
    });
}
