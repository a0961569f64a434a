// Runs the compiled `loom` CLI as a user would, with an explicit environment, and collects its output and exit code.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { loomCommand } from '../../core/testing/loom-process.js';

export interface LoomRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The minimum a user's shell has, plus what the test passes; never the developer's NATS_URL or LOOMINAL_*. */
export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'warn', ...extra };
}

export function startLoom(args: string[], options: { cwd: string; env: Record<string, string> }): ChildProcessWithoutNullStreams & { output: { stdout: string; stderr: string }; done: Promise<LoomRun> } {
  const [command, ...prefix] = loomCommand();
  const child = spawn(command!, [...prefix, ...args], { cwd: options.cwd, env: baseEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const done = new Promise<LoomRun>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, ...output })));
  return Object.assign(child, { output, done });
}

export async function runLoom(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<LoomRun> {
  const child = startLoom(args, { cwd: options.cwd, env: options.env ?? {} });
  child.stdin.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const result = await child.done;
  clearTimeout(timer);
  return result;
}

export { until } from '../../core/testing/poll.js';

export { isAlive } from '../../core/testing/loom-process.js';
