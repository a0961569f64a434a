// Runs the worker command for one item: the item as JSON on stdin, LOOM_WORK_* in the env, output captured with caps.
import { spawn } from 'node:child_process';

export interface CommandRun {
  /** Exit code; null when it could not start or was killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Why it could not start (e.g. ENOENT), if it could not. */
  spawnError?: string;
  /** Stopped by us (shutdown grace ran out). */
  killed: boolean;
  stdoutTruncated: boolean;
}

export interface RunCommandOptions {
  command: readonly string[];
  stdin: string;
  env: Record<string, string | undefined>;
  /** Aborting kills the command (SIGTERM, then SIGKILL after killAfterMs). */
  signal: AbortSignal;
  maxStdoutBytes: number;
  /** stderr keeps its last bytes: the end of an error output says most. */
  maxStderrBytes: number;
  killAfterMs?: number;
}

export function runCommand(options: RunCommandOptions): Promise<CommandRun> {
  const [file, ...args] = options.command;
  return new Promise((resolve) => {
    let stdout = Buffer.alloc(0);
    let stderr = Buffer.alloc(0);
    let stdoutTruncated = false;
    let killed = false;
    let spawnError: string | undefined;
    const child = spawn(file!, args, { env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => {
      const room = options.maxStdoutBytes - stdout.length;
      if (chunk.length > room) stdoutTruncated = true;
      if (room > 0) stdout = Buffer.concat([stdout, chunk.subarray(0, room)]);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = Buffer.concat([stderr, chunk]);
      if (stderr.length > options.maxStderrBytes) stderr = stderr.subarray(stderr.length - options.maxStderrBytes);
    });
    // A command that does not read its stdin closes the pipe early; that is not an error of the item.
    child.stdin.on('error', () => {});
    child.stdin.end(options.stdin);
    let hardKill: NodeJS.Timeout | undefined;
    const onAbort = () => {
      killed = true;
      child.kill('SIGTERM');
      hardKill = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 5000);
    };
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });
    child.once('error', (err) => {
      spawnError = err.message;
    });
    child.once('close', (code, signal) => {
      clearTimeout(hardKill);
      options.signal.removeEventListener('abort', onAbort);
      resolve({
        code,
        signal,
        stdout: stdout.toString('utf8'),
        stderr: stderr.toString('utf8'),
        killed,
        stdoutTruncated,
        ...(spawnError ? { spawnError } : {}),
      });
    });
  });
}
