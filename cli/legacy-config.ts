// The design's .loominal-config.json (namespace, channels, boundaries) mapped onto loom.config.ts keys.
import type { LoomConfigInput } from '../core/index.js';

export function mapLegacyConfig(legacy: Record<string, unknown>, config: LoomConfigInput): LoomConfigInput {
  const out: LoomConfigInput = { ...config, options: { ...(config.options ?? {}) } };
  if (typeof legacy.namespace === 'string' && !out.project) out.project = legacy.namespace;
  const options = out.options!;
  if (Array.isArray(legacy.channels)) options['service:channels'] = { ...(options['service:channels'] as object), channels: legacy.channels };
  if (legacy.boundaries && typeof legacy.boundaries === 'object') options['classifier:boundary'] = { ...(options['classifier:boundary'] as object), boundaries: legacy.boundaries };
  return out;
}
