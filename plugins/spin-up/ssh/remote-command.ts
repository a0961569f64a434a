// The shell lines run on an ssh host: start the agent detached (nohup … &, print its pid) and stop it by pid.
import { ENV_NAME_PATTERN } from '../shared/env-schema.js';
import type { SshTarget } from './schema.js';

/** POSIX single-quoting: safe for any value, including quotes, spaces, $ and newlines. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `cd … && nohup env K=V … <argv> >log 2>&1 </dev/null & echo $!`: returns at once and prints the agent's pid. */
export function startLine(target: SshTarget, env: Record<string, string>, agentId: string): string {
  const assignments = Object.entries(env)
    .filter(([name]) => ENV_NAME_PATTERN.test(name))
    .map(([name, value]) => shellQuote(`${name}=${value}`));
  const log = target.logDir ? `${target.logDir.replace(/\/+$/, '')}/${agentId}.log` : '/dev/null';
  const prefix = [target.cwd ? `cd ${shellQuote(target.cwd)}` : '', target.logDir ? `mkdir -p ${shellQuote(target.logDir)}` : ''].filter(Boolean);
  const run = `nohup env ${assignments.join(' ')} ${target.command.map(shellQuote).join(' ')} > ${shellQuote(log)} 2>&1 < /dev/null & echo $!`;
  return [...prefix, run].join(' && ');
}

/** SIGTERM, wait up to the grace period for the pid to go, then SIGKILL. */
export function stopLine(pid: number, graceMs: number): string {
  const seconds = Math.ceil(graceMs / 1000);
  return `kill -TERM ${pid} 2>/dev/null; i=0; while kill -0 ${pid} 2>/dev/null && [ $i -lt ${seconds} ]; do sleep 1; i=$((i+1)); done; kill -KILL ${pid} 2>/dev/null; true`;
}
