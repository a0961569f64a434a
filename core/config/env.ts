// Environment variables override the config file (SPEC §10); plugin-specific ones are mapped by each plugin's `env`.
import type { LoomConfigInput } from './schema.js';

export function applyEnvOverrides(config: LoomConfigInput, env: Readonly<Record<string, string | undefined>>): LoomConfigInput {
  const nats = { ...(config.nats ?? {}) };
  if (env.NATS_URL) nats.url = env.NATS_URL;
  if (env.NATS_USER) nats.user = env.NATS_USER;
  if (env.NATS_PASS) nats.pass = env.NATS_PASS;
  if (env.NATS_TOKEN) nats.token = env.NATS_TOKEN;
  if (env.NATS_CREDS) nats.creds = env.NATS_CREDS;
  if (env.NATS_INBOX_PREFIX) nats.inboxPrefix = env.NATS_INBOX_PREFIX;
  // A bad value (not a number, out of range) is reported by the schema as nats.replicas.
  if (env.LOOMINAL_NATS_REPLICAS) nats.replicas = Number(env.LOOMINAL_NATS_REPLICAS);
  const out: LoomConfigInput = { ...config, nats };
  if (env.LOG_LEVEL) out.logLevel = env.LOG_LEVEL as LoomConfigInput['logLevel'];
  if (env.LOOMINAL_STORAGE) out.storage = env.LOOMINAL_STORAGE;
  return out;
}
