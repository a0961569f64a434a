// Whether a process runs, by pid: signal 0 checks without sending anything, and on Linux /proc tells more (a zombie,
// and when the process started, which tells it from a later one given the same pid).
import { existsSync, readFileSync } from 'node:fs';

const HAS_PROC = existsSync('/proc/self/stat');

export interface ProcStat {
  /** R, S, D, Z (zombie), X (dead)… */
  state: string;
  /** Field 22, clock ticks since boot: with the pid it names one process for the whole boot. */
  startTime: string;
}

/** One read of /proc/<pid>/stat; undefined where there is no /proc or no such process. */
export function procStat(pid: number): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in field 2 may hold spaces and parentheses: the fields after it start past the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', startTime: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

/**
 * True while the process runs, also when it belongs to another user (EPERM). A zombie has exited: an orphan (a
 * nats-server or agent whose parent was SIGKILLed) is reparented to init, which in some containers never reaps it,
 * and kill(pid, 0) alone would report it running for good. With `startedAt` (a ProcStat startTime recorded
 * earlier), a process with another start time is another process that got the pid since.
 */
export function isProcessAlive(pid: number | null | undefined, startedAt?: string): boolean {
  if (!pid || pid < 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (!HAS_PROC) return true;
  // Gone between the signal and this read, or never ours to see: either way, not the process we asked about.
  const stat = procStat(pid);
  if (!stat || stat.state === 'Z' || stat.state === 'X') return false;
  return startedAt === undefined || stat.startTime === startedAt;
}
