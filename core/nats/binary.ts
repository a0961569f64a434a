// Finds the nats-server binary, or explains exactly how to install it on this platform.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { platform } from 'node:os';
import { LoomError } from '../errors.js';

export function installHint(os: string = platform()): string {
  if (os === 'darwin') return 'brew install nats-server';
  if (os === 'win32') return 'winget install nats-io.nats-server (or: choco install nats-server)';
  return 'sudo apt-get install -y nats-server   (Debian/Ubuntu; other Linux: see https://docs.nats.io/running-a-nats-service/introduction/installation)';
}

/** Looks on PATH plus the usual sbin locations, since Debian installs nats-server to /usr/sbin. */
export function findNatsServerBinary(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.LOOMINAL_NATS_SERVER;
  const dirs = [...(env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/local/bin', '/opt/homebrew/bin'];
  const candidates = explicit ? [explicit] : dirs.filter(Boolean).map((dir) => join(dir, platform() === 'win32' ? 'nats-server.exe' : 'nats-server'));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  const where = explicit ? `LOOMINAL_NATS_SERVER points at ${explicit}, which is not an executable file` : 'no nats-server binary found on PATH';
  throw new LoomError('LOOM_ERR_NATS_SERVER_MISSING', `${where}. Install it with: ${installHint()} — or set NATS_URL to a running server.`, explicit ? { path: explicit } : undefined);
}
