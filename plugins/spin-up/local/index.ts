// spin-up:local — starts an agent as a detached child process of weft's machine (e.g. `loom agent … -- <worker>`).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineSpinUp, LoomError } from '../../../core/index.js';
import { localTargetSchema, type LocalTarget } from './schema.js';
import { findExecutable, resolveArgv, spawnDetached, stopProcess } from './process.js';
import { inheritedEnv } from './secrets.js';

export const localSpinUp = defineSpinUp<LocalTarget>({
  name: 'spin-up:local',
  target: localTargetSchema,
  async start({ target, env, log, operationId, targetId, withheldEnv }) {
    const argv = resolveArgv(target.command);
    const cwd = target.cwd ?? process.cwd();
    const agentId = env.LOOMINAL_AGENT_ID;
    // The agent inherits weft's environment (PATH, HOME, NATS credentials), except weft's REST tokens and the secrets
    // targets read from it (the manager names them); what the target's own env sets is given as configured.
    const inherited = inheritedEnv(process.env, withheldEnv);
    const pid = await spawnDetached({
      argv,
      cwd,
      env: { ...inherited, ...target.env, ...env },
      ...(target.logDir ? { logFile: join(target.logDir, `${agentId ?? operationId}.log`) } : {}),
    });
    log.info({ operationId, targetId, pid, agentId, command: target.command[0] }, 'local agent process started');
    return { handle: { pid, ...(agentId ? { agentId } : {}) }, ...(agentId ? { agentId } : {}) };
  },
  async stop({ handle, target, log }) {
    const pid = Number(handle.pid);
    if (!Number.isInteger(pid) || pid <= 1) throw new LoomError('LOOM_ERR_INVALID_INPUT', `handle.pid: expected a process id, got ${JSON.stringify(handle.pid)}`, { field: 'handle.pid' });
    const how = await stopProcess(pid, target.stopGraceMs);
    log.info({ pid, agentId: handle.agentId, how }, 'local agent process stopped');
  },
  async health({ target }) {
    const cwd = target.cwd ?? process.cwd();
    if (!existsSync(cwd)) return { ok: false, detail: `cwd: ${cwd} does not exist` };
    let argv: string[];
    try {
      argv = resolveArgv(target.command);
    } catch (err) {
      return { ok: false, detail: err instanceof Error ? err.message : String(err) };
    }
    const found = findExecutable(argv[0]!, cwd);
    if (!found) return { ok: false, detail: `command[0]: ${argv[0]} is not an executable file or on PATH` };
    return { ok: true, detail: `${target.command[0] === 'loom' ? 'loom (this CLI)' : found} is executable` };
  },
});
