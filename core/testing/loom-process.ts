// How tests and spin-up run the `loom` CLI: the compiled entry, with the same node binary.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';

/** [node, path/to/dist/cli/main.js]; works from source (tests) and from dist (installed package). */
export function loomCommand(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', '..', 'cli', 'main.js'), join(here, '..', '..', 'dist', 'cli', 'main.js')];
  const entry = candidates.find((file) => existsSync(file));
  if (!entry) throw new Error(`cannot find the compiled loom CLI (looked in ${candidates.join(', ')}); run "npm run build"`);
  return [process.execPath, entry];
}
