// How tests run the `loom` CLI: the compiled entry, with the same node binary (the production code lives in core/process).
export { loomCommand } from '../process/loom-command.js';

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
