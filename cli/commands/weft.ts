// `loom weft`: the coordinator service (routing, assignment tracking, REST and NATS API) until Ctrl-C or SIGTERM.
import type { Command } from 'commander';
import { weftHttpService, weftService, type Kernel, type LoadedConfig } from '../../core/index.js';
import { reportAndExit } from '../exit.js';
import { createPresetKernel } from '../runtime.js';
import { waitForShutdownSignal } from '../signals.js';

export interface WeftOptions {
  port?: string;
  host?: string;
  json?: boolean;
  loaded?: LoadedConfig;
  env?: Record<string, string | undefined>;
}

export interface RunningWeft {
  kernel: Kernel;
  url: string;
  instanceId: string;
  projectId: string;
}

/** Starts weft in this process; the caller stops it with kernel.stop(). */
export async function startWeft(options: WeftOptions = {}): Promise<RunningWeft> {
  const env = { ...(options.env ?? process.env), ...(options.port !== undefined ? { API_PORT: options.port } : {}), ...(options.host ? { API_HOST: options.host } : {}) };
  const kernel = await createPresetKernel({ preset: 'weft', env, ...(options.loaded ? { loaded: options.loaded } : {}) });
  try {
    await kernel.start();
  } catch (err) {
    await kernel.stop().catch(() => undefined);
    throw err;
  }
  const url = kernel.use(weftHttpService).url() ?? '';
  return { kernel, url, instanceId: kernel.use(weftService).instanceId, projectId: kernel.identity.projectId };
}

export async function runWeft(options: WeftOptions = {}): Promise<void> {
  const stopping = waitForShutdownSignal();
  const weft = await startWeft(options);
  const out = (text: string) => process.stdout.write(`${text}\n`);
  if (options.json) out(JSON.stringify({ url: weft.url, projectId: weft.projectId, instanceId: weft.instanceId }));
  else out(`loom weft: REST API on ${weft.url} (default project ${weft.projectId}, instance ${weft.instanceId}); Ctrl-C stops it`);
  await stopping;
  await weft.kernel.stop();
}

export function registerWeftCommand(program: Command): void {
  program
    .command('weft')
    .description('coordinator service: routes work to agents, tracks it in NATS, serves the REST API (API_HOST:API_PORT)')
    .option('--port <port>', 'REST API port (API_PORT; 0 = any free port)')
    .option('--host <host>', 'REST API address (API_HOST; default 127.0.0.1)')
    .option('--json', 'print one JSON line {url, projectId, instanceId} once listening')
    .action(async (options: WeftOptions) => {
      await runWeft(options).catch(reportAndExit);
      process.exit(0);
    });
}
