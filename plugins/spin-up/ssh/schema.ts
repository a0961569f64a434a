// The config of an `ssh` target: where to connect, how to authenticate and check the host, what to run there.
import { z } from 'zod';
import { agentEnv, envVarName, natsUrlOverride } from '../shared/env-schema.js';

export const sshTargetSchema = z
  .strictObject({
    host: z.string().regex(/^[A-Za-z0-9._:-]{1,255}$/, { message: 'must be a host name or IP address' }),
    port: z.number().int().min(1).max(65535).default(22),
    username: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, { message: 'must be a user name (letters, digits, ".", "_", "-")' }),
    /** A private key file on weft's machine ("~/" is the home directory). */
    privateKeyPath: z.string().min(1).optional(),
    /** Or: the name of an environment variable of weft that holds the private key itself. */
    privateKeyEnv: envVarName.optional(),
    /** The name of an environment variable that holds the key's passphrase, for an encrypted key. */
    passphraseEnv: envVarName.optional(),
    /** A known_hosts file to check the host key against (default ~/.ssh/known_hosts unless a fingerprint is pinned). */
    knownHostsPath: z.string().min(1).optional(),
    /** Or: the host key's pinned SHA256 fingerprint, as `ssh-keygen -lf` prints it (SHA256:…). */
    hostKeyFingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, { message: 'must be a SHA256 fingerprint as ssh-keygen -l prints it: SHA256: followed by 43 base64 characters' }).optional(),
    /** Accept any host key. Only for throwaway hosts: it lets anyone in the middle run your agents. */
    insecureSkipHostKeyCheck: z.boolean().default(false),
    /** Connect, authenticate and run, each within this time. */
    timeoutMs: z.number().int().min(100).max(300_000).default(20_000),
    /** argv run on the host (quoted for its shell), e.g. ["loom", "agent", "--capability", "build", "--", "make"]. */
    command: z.array(z.string().min(1)).min(1, { message: 'must name a command, e.g. ["loom", "agent", "--capability", "build", "--", "make"]' }),
    cwd: z.string().min(1).optional(),
    env: agentEnv,
    natsUrl: natsUrlOverride,
    /** A directory on the host for each agent's output (<logDir>/<agentId>.log; default: discarded). */
    logDir: z.string().min(1).optional(),
    /** After SIGTERM on the host, how long the agent may take before SIGKILL. */
    stopGraceMs: z.number().int().min(0).max(600_000).default(10_000),
  })
  .superRefine((target, ctx) => {
    if ((target.privateKeyPath === undefined) === (target.privateKeyEnv === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['privateKeyPath'], message: 'set exactly one of privateKeyPath (a key file) or privateKeyEnv (an environment variable holding the key)' });
    }
    if (target.insecureSkipHostKeyCheck && (target.hostKeyFingerprint !== undefined || target.knownHostsPath !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['insecureSkipHostKeyCheck'], message: 'cannot be true together with hostKeyFingerprint or knownHostsPath: choose one way to check the host' });
    }
  });
export type SshTarget = z.output<typeof sshTargetSchema>;
