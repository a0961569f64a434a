// The bench's command line: --help answers with the usage, and a bad option or value is named before anything runs.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const bench = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });

describe('npm run bench options', () => {
  it('--help prints the usage and exits 0', () => {
    const run = bench('--help');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^usage: npm run bench/);
    expect(run.stdout).toContain('--ours-only');
  });

  it('an unknown option is named, with the usage, exit 2', () => {
    const run = bench('--bogus');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("Unknown option '--bogus'");
    expect(run.stderr).toContain('usage: npm run bench');
  });

  it('a bad --rounds is named before the bench builds or starts a server', () => {
    const run = bench('--rounds', '0');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^--rounds: must be a whole number of at least 1; got "0"/);
    expect(run.stderr).not.toContain('[bench]');
  });
});
