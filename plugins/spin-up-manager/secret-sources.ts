// What no started agent may inherit from weft: the REST tokens, and every variable a target names as a secret source.
import type { SpinUpTarget } from '../../core/index.js';

const ENV_REFERENCE = /\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Variables always withheld: weft's REST API tokens. */
export const ALWAYS_WITHHELD = ['API_TOKENS'] as const;

/**
 * Secret sources named in target configs, by the built-in mechanisms' convention: a field whose name ends in "Env"
 * holds a variable's name (tokenEnv, privateKeyEnv, passphraseEnv, kubeconfigEnv), and {{env.NAME}} in a template
 * (webhook headers) reads one. Walks the whole config, so a user mechanism following the convention is covered too.
 */
export function secretSources(targets: ReadonlyArray<Pick<SpinUpTarget, 'config'>>): string[] {
  const names = new Set<string>(ALWAYS_WITHHELD);
  const walk = (value: unknown, key: string | undefined) => {
    if (typeof value === 'string') {
      if (key?.endsWith('Env') && ENV_NAME.test(value)) names.add(value);
      for (const [, name] of value.matchAll(ENV_REFERENCE)) names.add(name!);
    } else if (Array.isArray(value)) {
      for (const item of value) walk(item, undefined);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, k);
    }
  };
  for (const target of targets) walk(target.config, undefined);
  return [...names].sort();
}
