// What a local agent inherits from weft's environment: everything but what the manager says holds a secret.

/** weft's environment minus withheldEnv (and minus its own sub-agent type: a started agent is never weft's sub-agent). */
export function inheritedEnv(env: NodeJS.ProcessEnv, withheldEnv: readonly string[]): Record<string, string> {
  const withheld = new Set([...withheldEnv, 'LOOMINAL_SUBAGENT_TYPE']);
  const inherited: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && !withheld.has(name)) inherited[name] = value;
  return inherited;
}
