// Whether a process runs, by pid: signal 0 checks without sending anything, and on Linux /proc tells a zombie apart.
import { readFileSync } from 'node:fs';

/** The state letter of /proc/<pid>/stat (R, S, Z…), undefined where there is no /proc or no such process. */
export function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2];
  } catch {
    return undefined;
  }
}

/**
 * True while the process runs, also when it belongs to another user (EPERM). A zombie has exited: an orphan (a
 * nats-server or agent whose parent was SIGKILLed) is reparented to init, which in some containers never reaps it,
 * and kill(pid, 0) alone would report it running for good.
 */
export function isProcessAlive(pid: number | null | undefined): boolean {
  if (!pid || pid < 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return processState(pid) !== 'Z';
}
