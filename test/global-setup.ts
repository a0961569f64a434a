// Builds the CLI once before the suite: end-to-end tests spawn the compiled `loom`, never a stale one.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

export default function setup(): void {
  const require = createRequire(import.meta.url);
  const tsc = require.resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'pipe' });
  } catch (err) {
    // tsc still emits JavaScript on type errors; `npm run lint` is where type errors fail the build.
    const output = (err as { stdout?: Buffer }).stdout?.toString() ?? String(err);
    process.stderr.write(`[global-setup] tsc reported errors (tests run on the emitted JavaScript):\n${output}\n`);
  }
}
