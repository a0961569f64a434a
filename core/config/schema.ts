// The one zod schema of loom.config.ts (after env overrides); unknown keys are errors with their full path.
import { z } from 'zod';
import { TOKEN_PATTERN } from '../isolation/tokens.js';
import { PLUGIN_NAME_PATTERN, type LoomPlugin } from '../plugin.js';

const pluginSchema = z.custom<LoomPlugin>(
  (value) => typeof value === 'object' && value !== null && typeof (value as LoomPlugin).name === 'string' && typeof (value as LoomPlugin).setup === 'function',
  { message: 'expected a plugin object from define*() (with a "kind:id" name and a setup function)' },
);

export const natsConfigSchema = z.strictObject({
  /** nats://, tls://, ws:// or wss://; several servers separated by commas. Absent: the embedded default. */
  url: z.string().regex(/^(nats|tls|ws|wss):\/\/\S+$/, { message: 'expected a nats://, tls://, ws:// or wss:// URL' }).optional(),
  user: z.string().optional(),
  pass: z.string().optional(),
  token: z.string().optional(),
  /** Path to a .creds file. */
  creds: z.string().optional(),
  /** Where the managed nats-server keeps its store (default ~/.loominal/nats). */
  storeDir: z.string().optional(),
  /** Port for the managed nats-server (default 4222; falls back to a free port when taken). */
  port: z.number().int().min(0).max(65535).optional(),
  /** Replicas of every stream and KV bucket Loominal creates (3 on a 3-node cluster); existing ones keep theirs. */
  replicas: z.number().int().min(1).max(5).optional(),
  /** Reply-subject prefix of this connection, e.g. "_INBOX_<user>" when the server lets each user subscribe only to its own. */
  inboxPrefix: z.string().regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, { message: 'expected subject tokens without wildcards or spaces, e.g. "_INBOX_agent-1"' }).optional(),
});

export const configSchema = z.strictObject({
  /** The preset `loom start` runs: warp, pattern, shuttle or weft. */
  preset: z.enum(['warp', 'pattern', 'shuttle', 'weft']).optional(),
  /** The projectId; default: a hash of the git remote, else of the project path. */
  project: z.string().regex(TOKEN_PATTERN, { message: 'expected a lowercase token (a-z, 0-9, "_", "-"; max 64)' }).optional(),
  nats: natsConfigSchema.default({}),
  /** The storage backend id: nats-kv (default), filesystem or memory. */
  storage: z.string().default('nats-kv'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Plugins added to the preset's, e.g. your own spin-up mechanism or classifier. */
  plugins: z.array(pluginSchema).default([]),
  /** Plugin names removed from the preset. */
  exclude: z.array(z.string().regex(PLUGIN_NAME_PATTERN, { message: 'expected a plugin name "kind:id"' })).default([]),
  /** Options per plugin name, validated by that plugin's own schema. */
  options: z.record(z.string().regex(PLUGIN_NAME_PATTERN, { message: 'expected a plugin name "kind:id"' }), z.unknown()).default({}),
});

export type LoomConfigInput = z.input<typeof configSchema>;
export type LoomConfig = z.output<typeof configSchema>;

/** Typed identity helper for loom.config.ts. */
export function defineConfig(config: LoomConfigInput): LoomConfigInput {
  return config;
}
