// Schema pieces every mechanism's target uses: extra environment for the agent, env-var names that hold secrets.
import { z } from 'zod';

export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The name of an environment variable (of weft's process) that holds a secret; the secret itself is never stored. */
export const envVarName = z.string().regex(ENV_NAME_PATTERN, { message: 'must be the name of an environment variable (letters, digits, "_"; not starting with a digit)' });

/** Extra environment for the started agent; weft's own variables (NATS_URL, LOOMINAL_PROJECT_ID, LOOMINAL_AGENT_ID, …) win. */
export const agentEnv = z.record(envVarName, z.string()).default({});

/** Reads a secret from weft's environment; a missing one is an error that names the field and the variable. */
export function secretFromEnv(env: Readonly<Record<string, string | undefined>>, variable: string, field: string): string {
  const value = env[variable];
  if (value === undefined || value === '') throw new Error(`${field}: environment variable ${variable} is not set in weft's environment`);
  return value;
}

/** The NATS URL a remote agent should use when weft's own (often 127.0.0.1) is not reachable from there. */
export const natsUrlOverride = z
  .string()
  .regex(/^(nats|tls|ws|wss):\/\/\S+$/, { message: 'expected a nats://, tls://, ws:// or wss:// URL that the started agent can reach' })
  .optional();

/** The env for the agent: weft's prepared variables, with NATS_URL replaced when the target says where the agent reaches NATS. */
export function agentEnvFor(env: Record<string, string>, natsUrl: string | undefined): Record<string, string> {
  return natsUrl ? { ...env, NATS_URL: natsUrl } : env;
}
