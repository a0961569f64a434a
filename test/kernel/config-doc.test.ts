// docs/configuration.md stays complete: every config key, every SPEC §10 variable, every variable a preset plugin maps.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema, natsConfigSchema } from '../../core/config/schema.js';
import { loadAllPresets } from '../../presets/index.js';

const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
const mentioned = (name: string) => doc.includes(`\`${name}\``) || new RegExp(`\`[^\`]*\\b${name}\\b[^\`]*\``).test(doc);

const SPEC_ENV = ['NATS_URL', 'NATS_USER', 'NATS_PASS', 'NATS_TOKEN', 'NATS_CREDS', 'MCP_PROJECT_PATH', 'LOOMINAL_PROJECT_ID', 'LOOMINAL_AGENT_ID', 'LOOMINAL_SUBAGENT_TYPE', 'LOOMINAL_PRINCIPAL', 'LOG_LEVEL', 'API_PORT', 'API_HOST', 'API_TOKENS', 'IDLE_TIMEOUT_MS', 'SHUTTLE_WORK_DIR', 'LOOMINAL_CONFIG'];

describe('docs/configuration.md', () => {
  it('documents every key of loom.config.ts', () => {
    const keys = [...Object.keys(configSchema.shape), ...Object.keys(natsConfigSchema.shape).map((key) => `nats.${key}`)];
    expect(keys.filter((key) => !mentioned(key))).toEqual([]);
  });

  it('documents every environment variable of SPEC §10', () => {
    expect(SPEC_ENV.filter((name) => !mentioned(name))).toEqual([]);
  });

  it('documents every environment variable a preset plugin maps onto its options', async () => {
    const mapped = Object.values(await loadAllPresets()).flatMap((preset) => preset.plugins.flatMap((plugin) => Object.keys(plugin.env ?? {}).map((name) => `${name} (${plugin.name})`)));
    expect(mapped.filter((entry) => !mentioned(entry.split(' ')[0]!))).toEqual([]);
  });
});
