// Our layer as users run it: the compiled dist/ (tsx would transpile the source with extra helpers on every function).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

// BENCH_DIST points at another build (say, of the last commit) to measure before and after a change in one way.
const dist = process.env.BENCH_DIST ? pathToFileURL(`${process.env.BENCH_DIST.replace(/\/$/, '')}/`) : new URL('../../dist/', import.meta.url);
if (!existsSync(fileURLToPath(new URL('core/index.js', dist)))) {
  throw new Error('dist/ is missing: run "npm run build" (npm run bench builds it unless --no-build)');
}

async function load<T>(path: string): Promise<T> {
  return (await import(new URL(path, dist).href)) as T;
}

export const core = await load<typeof import('../../core/index.js')>('core/index.js');
export const testing = {
  ...(await load<typeof import('../../core/testing/kernel.js')>('core/testing/kernel.js')),
  ...(await load<typeof import('../../core/testing/nats-server.js')>('core/testing/nats-server.js')),
  ...(await load<typeof import('../../core/testing/mcp-client.js')>('core/testing/mcp-client.js')),
  ...(await load<typeof import('../../core/testing/loom-process.js')>('core/testing/loom-process.js')),
};
export const { storagePlugins } = await load<typeof import('../../presets/storage.js')>('presets/storage.js');
export const { channelsServicePlugin } = await load<typeof import('../../plugins/services/channels/index.js')>('plugins/services/channels/index.js');
export const { workEventsPlugin } = await load<typeof import('../../plugins/services/work-events/index.js')>('plugins/services/work-events/index.js');
export const { workQueuePlugin } = await load<typeof import('../../plugins/services/work-queue/index.js')>('plugins/services/work-queue/index.js');
export const { registryServicePlugin } = await load<typeof import('../../plugins/services/registry/index.js')>('plugins/services/registry/index.js');

/** Weft's parts are loaded only by the weft scenarios: its plugin is still changing, and the others must not depend on it. */
export async function loadWeft() {
  return {
    ...(await load<typeof import('../../plugins/weft/coordinator/router.js')>('plugins/weft/coordinator/router.js')),
    ...(await load<typeof import('../../plugins/classifiers/boundary/index.js')>('plugins/classifiers/boundary/index.js')),
    ...(await load<typeof import('../../plugins/classifiers/capability/index.js')>('plugins/classifiers/capability/index.js')),
  };
}
