// spin-up:ssh — runs the agent command detached on another host over SSH (ssh2: key auth, host key checking, timeout).
import { defineSpinUp, LoomError } from '../../../core/index.js';
import { agentEnvFor } from '../shared/env-schema.js';
import { sshTargetSchema } from './schema.js';
import { runRemote } from './session.js';
import { startLine, stopLine } from './remote-command.js';

export const sshSpinUp = defineSpinUp({
  name: 'spin-up:ssh',
  target: sshTargetSchema,
  async start({ target, env, signal, log, operationId, targetId }) {
    const agentId = env.LOOMINAL_AGENT_ID ?? operationId;
    const run = await runRemote(target, startLine(target, { ...target.env, ...agentEnvFor(env, target.natsUrl) }, agentId), { signal });
    const pid = Number(/^\s*(\d+)\s*$/m.exec(run.stdout)?.[1]);
    if (run.code !== 0 || !Number.isInteger(pid)) {
      throw new LoomError('LOOM_ERR_SPIN_UP_FAILED', `ssh ${target.host}: starting the agent exited with ${run.code}${run.stderr.trim() ? `: ${run.stderr.trim().slice(0, 300)}` : ''}`, { host: target.host, code: run.code });
    }
    log.info({ operationId, targetId, host: target.host, pid, agentId }, 'agent started over ssh');
    return { handle: { host: target.host, port: target.port, pid, agentId }, agentId };
  },
  async stop({ handle, target, log }) {
    const pid = Number(handle.pid);
    if (!Number.isInteger(pid) || pid <= 1) throw new LoomError('LOOM_ERR_INVALID_INPUT', `handle.pid: expected a process id, got ${JSON.stringify(handle.pid)}`, { field: 'handle.pid' });
    // The grace period runs on the host; the connection must outlive it.
    await runRemote({ ...target, timeoutMs: target.timeoutMs + target.stopGraceMs }, stopLine(pid, target.stopGraceMs));
    log.info({ host: target.host, pid, agentId: handle.agentId }, 'agent stopped over ssh');
  },
  async health({ target, signal }) {
    const run = await runRemote(target, 'true', { signal });
    const check = target.insecureSkipHostKeyCheck ? 'host key NOT checked' : target.hostKeyFingerprint ? 'host key matches the pinned fingerprint' : 'host key found in known_hosts';
    return run.code === 0 ? { ok: true, detail: `connected to ${target.username}@${target.host}:${target.port}; ${check}` } : { ok: false, detail: `"true" exited with ${run.code} on ${target.host}` };
  },
});
