// The `loom` entry: help, version and the exit codes 0 ok / 1 failure / 2 usage.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runLoom } from './run-loom.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('loom', () => {
  it('--help lists every command and exits 0', async () => {
    const result = await runLoom(['--help'], { cwd: tmpdir() });
    expect(result.code).toBe(0);
    for (const command of ['up', 'start', 'warp', 'pattern', 'shuttle', 'init', 'doctor', 'mcp-config']) expect(result.stdout).toMatch(new RegExp(`\\n  ${command}\\b`));
  });

  it('--version prints the package version', async () => {
    const result = await runLoom(['--version'], { cwd: tmpdir() });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(pkg.version);
  });

  it('an unknown command or option is a usage error (exit 2)', async () => {
    expect((await runLoom(['weave'], { cwd: tmpdir() })).code).toBe(2);
    expect((await runLoom(['doctor', '--colour'], { cwd: tmpdir() })).code).toBe(2);
  });

  it('no command at all shows help as a usage error (exit 2)', async () => {
    const result = await runLoom([], { cwd: tmpdir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: loom');
  });
});
