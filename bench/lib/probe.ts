// CPU time and resident memory of a process: this one (process.cpuUsage) or a child by pid (/proc).
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export interface ProcessProbe {
  /** CPU time (user + system) used so far, in µs. */
  cpuUs(): number;
  /** Resident set size now, in bytes. */
  rssBytes(): number;
  /** The kernel's high-water mark of the resident set since the process started, in bytes (0 when unknown). */
  peakRssBytes(): number;
}

let ticks: number | undefined;
function clockTicks(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

function statusKb(pid: number | 'self', field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export const selfProbe: ProcessProbe = {
  cpuUs() {
    const usage = process.cpuUsage();
    return usage.user + usage.system;
  },
  rssBytes: () => process.memoryUsage.rss(),
  peakRssBytes: () => statusKb('self', 'VmHWM'),
};

/** A child process by pid; reads 0 once it is gone. */
export function pidProbe(pid: number): ProcessProbe {
  return {
    cpuUs() {
      try {
        // The command name may hold spaces: count fields after its closing parenthesis.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return ((Number(fields[11]) + Number(fields[12])) / clockTicks()) * 1e6;
      } catch {
        return 0;
      }
    },
    rssBytes: () => statusKb(pid, 'VmRSS'),
    peakRssBytes: () => statusKb(pid, 'VmHWM'),
  };
}

/** Samples a probe's RSS every few ms until stopped; returns the highest value seen. */
export function sampleRss(probe: ProcessProbe, everyMs = 25): { stop(): number } {
  let peak = probe.rssBytes();
  const timer = setInterval(() => {
    peak = Math.max(peak, probe.rssBytes());
  }, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, probe.rssBytes());
    },
  };
}

/** The machine's 1-minute load average and CPU count, for the report. */
export function loadAverage(): number[] {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
  } catch {
    return [];
  }
}
