// The `loom auth` spec: which project, which agents (id, principal, capabilities) and which services get NATS users.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { formatIssues, hexIdSchema, LoomError, tokenSchema } from '../../core/index.js';
import { sha256 } from '../../core/isolation/identity.js';

const agentSchema = z.strictObject({
  /** The NATS user is agent-<name>. */
  name: tokenSchema,
  /** LOOMINAL_AGENT_ID of the agent's processes (warp, pattern, shuttle, loom agent). */
  id: hexIdSchema,
  /** LOOMINAL_PRINCIPAL: its personal registry and memory buckets are named after it. */
  principal: z.string().min(1).max(256),
  /** Work it may claim; a claim for anything else is refused by the server. */
  capabilities: z.array(tokenSchema).max(64).default([]),
});

export const authSpecSchema = z.strictObject({
  project: tokenSchema,
  agents: z.array(agentSchema).min(1).max(1000),
  /** Service users: weft (coordinator and provisioner of streams and buckets) and shuttle (orchestration, no claims). */
  services: z.array(z.enum(['weft', 'shuttle'])).default(['weft']),
  shuttle: z.strictObject({ id: hexIdSchema, principal: z.string().min(1).max(256) }).optional(),
  /** Channels beyond the defaults (roadmap, parallel-work, errors) whose subjects agents may use. */
  channels: z.array(tokenSchema).default([]),
});

export type AuthSpec = z.output<typeof authSpecSchema>;
export type AgentSpec = z.output<typeof agentSchema>;

export function parseAuthSpec(value: unknown, origin = 'auth spec'): AuthSpec {
  const parsed = authSpecSchema.safeParse(value);
  if (!parsed.success) throw new LoomError('LOOM_ERR_INVALID_INPUT', `${origin}: ${formatIssues(parsed.error, '', authSpecSchema)}`, { issues: parsed.error.issues });
  const spec = parsed.data;
  for (const key of ['name', 'id'] as const) {
    const seen = new Set<string>();
    for (const agent of spec.agents) {
      if (seen.has(agent[key])) throw new LoomError('LOOM_ERR_INVALID_INPUT', `${origin}: agents: two agents share the ${key} ${JSON.stringify(agent[key])}`, { field: `agents.${key}` });
      seen.add(agent[key]);
    }
  }
  return spec;
}

export function readAuthSpec(path: string): AuthSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new LoomError('LOOM_ERR_CONFIG_LOAD', `cannot read the auth spec ${path}: ${err instanceof Error ? err.message : String(err)}`, { path });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new LoomError('LOOM_ERR_INVALID_INPUT', `${path} is not JSON: ${err instanceof Error ? err.message : String(err)}`, { path });
  }
  return parseAuthSpec(value, path);
}

/** The shuttle service's identity: from the spec, else derived from the project so it is stable across runs. */
export function shuttleIdentity(spec: AuthSpec): { id: string; principal: string } {
  return spec.shuttle ?? { id: sha256(`shuttle:${spec.project}`).slice(0, 32), principal: `shuttle@${spec.project}` };
}

export const principalHash = (principal: string): string => sha256(principal).slice(0, 16);
