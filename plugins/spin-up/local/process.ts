// Starting and stopping a detached agent process: argv resolution, its own process group, SIGTERM then SIGKILL.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, openSync, closeSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { loomCommand } from '../../../core/process/loom-command.js';
import { isProcessAlive, LoomError } from '../../../core/index.js';

/** The argv to run: "loom" first means this same CLI (node + its main.js), so weft and its agents are one version. */
export function resolveArgv(command: readonly string[]): string[] {
  const [first, ...rest] = command;
  return first === 'loom' ? [...loomCommand(), ...rest] : [...command];
}

/** Whether `file` can be run: a path that exists and is executable, or a name found on PATH. */
export function findExecutable(file: string, cwd: string, path = process.env.PATH ?? ''): string | undefined {
  const candidates = file.includes('/') ? [isAbsolute(file) ? file : resolve(cwd, file)] : path.split(delimiter).filter(Boolean).map((dir) => join(dir, file));
  return candidates.find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return statSync(candidate).isFile();
    } catch {
      return false;
    }
  });
}

export async function spawnDetached(args: { argv: string[]; cwd: string; env: Record<string, string | undefined>; logFile?: string }): Promise<number> {
  const [file, ...rest] = args.argv;
  let fd: number | undefined;
  if (args.logFile) {
    mkdirSync(resolve(args.logFile, '..'), { recursive: true });
    fd = openSync(args.logFile, 'a');
  }
  try {
    // detached: its own process group, so weft's Ctrl-C does not reach it and stop() can end the whole group.
    const child = spawn(file!, rest, { cwd: args.cwd, env: args.env, detached: true, stdio: ['ignore', fd ?? 'ignore', fd ?? 'ignore'] });
    await new Promise<void>((ok, fail) => {
      child.once('spawn', ok);
      child.once('error', (err) => fail(new LoomError('LOOM_ERR_SPIN_UP_FAILED', `could not start ${file}: ${err.message}`, { command: file }, { cause: err })));
    });
    child.unref();
    return child.pid!;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** SIGTERM to the agent (it releases its items and deregisters), then SIGKILL to its group after graceMs. */
export async function stopProcess(pid: number, graceMs: number): Promise<'exited' | 'killed' | 'gone'> {
  if (!isProcessAlive(pid)) return 'gone';
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return 'exited';
    await new Promise((done) => setTimeout(done, 100));
  }
  signal(-pid, 'SIGKILL');
  signal(pid, 'SIGKILL');
  return 'killed';
}
