#!/usr/bin/env node
// The `loom` command: runs the compiled CLI (npm run build, or the prepare step of npm ci, produces it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('loom: the CLI is not built yet. Run "npm run build" (npm ci runs it for you).\n');
  process.exit(1);
}
await import(entry.href);
