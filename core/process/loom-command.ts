// Where the compiled `loom` CLI is: the argv that runs it with this same node (the local spin-up mechanism, demos, tests).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * [node, path/to/cli/main.js] for this install. The kernel never imports cli/: it only resolves a file path, from
 * dist/core/process (installed package: dist/cli/main.js beside it) or from core/process (sources: the build's dist/).
 */
export function loomCommand(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', '..', 'cli', 'main.js'), join(here, '..', '..', 'dist', 'cli', 'main.js')];
  const entry = candidates.find((file) => existsSync(file));
  if (!entry) throw new Error(`cannot find the compiled loom CLI (looked in ${candidates.join(', ')}); run "npm run build"`);
  return [process.execPath, entry];
}
