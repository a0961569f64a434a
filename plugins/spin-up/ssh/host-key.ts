// Host key checking for ssh targets: a known_hosts file (plain or hashed names, [host]:port, @revoked) or a pinned fingerprint.
import { createHash, createHmac } from 'node:crypto';

export type HostKeyCheck = { kind: 'fingerprint'; fingerprint: string } | { kind: 'known-hosts'; path: string; text: string } | { kind: 'none' };

/** OpenSSH's fingerprint of a raw host key blob: SHA256: and unpadded base64. */
export function fingerprintOf(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

interface KnownHost {
  marker?: '@revoked' | '@cert-authority';
  patterns: string[];
  key: string;
}

function parseKnownHosts(text: string): KnownHost[] {
  const entries: KnownHost[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const marker = fields[0] === '@revoked' || fields[0] === '@cert-authority' ? (fields.shift() as KnownHost['marker']) : undefined;
    const [hosts, , key] = fields;
    if (!hosts || !key) continue;
    entries.push({ ...(marker ? { marker } : {}), patterns: hosts.split(','), key });
  }
  return entries;
}

function globMatches(pattern: string, name: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return regex.test(name);
}

function patternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  return globMatches(pattern, name);
}

/** OpenSSH writes a non-default port as [host]:port. */
function hostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function entryApplies(entry: KnownHost, name: string): boolean {
  // A negated pattern that matches excludes the line even when another pattern matches.
  if (entry.patterns.some((pattern) => pattern.startsWith('!') && patternMatches(pattern.slice(1), name))) return false;
  return entry.patterns.some((pattern) => !pattern.startsWith('!') && patternMatches(pattern, name));
}

/** Why the presented key is refused, or undefined when it is accepted. */
export function hostKeyProblem(check: HostKeyCheck, key: Buffer, host: string, port: number): string | undefined {
  if (check.kind === 'none') return undefined;
  const presented = fingerprintOf(key);
  if (check.kind === 'fingerprint') {
    return presented === check.fingerprint.replace(/=$/, '') ? undefined : `host key of ${host}:${port} is ${presented}, but hostKeyFingerprint pins ${check.fingerprint}: refusing to connect (a changed host or someone in the middle)`;
  }
  const name = hostName(host, port);
  const entries = parseKnownHosts(check.text).filter((entry) => entryApplies(entry, name));
  const blob = key.toString('base64');
  if (entries.some((entry) => entry.marker === '@revoked' && entry.key === blob)) return `host key ${presented} of ${name} is marked @revoked in ${check.path}`;
  const plain = entries.filter((entry) => !entry.marker);
  if (plain.some((entry) => entry.key === blob)) return undefined;
  if (plain.length) return `host key of ${name} is ${presented}, which does not match the key(s) for it in ${check.path}: refusing to connect (a changed host or someone in the middle)`;
  return `${name} is not in ${check.path}; add its key (ssh-keyscan${port === 22 ? '' : ` -p ${port}`} ${host} >> ${check.path}) or pin hostKeyFingerprint`;
}
