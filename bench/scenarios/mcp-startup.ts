// MCP server start to the first answered initialize (`loom warp` spawned, real client), against a bare node + nats.js start.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freshProject, hexId } from '../lib/fabric.js';
import { lanes, timedLanes } from '../lib/rounds.js';
import { row, type Scenario } from '../lib/scenario.js';

/** A process that loads nats.js, connects and says so: the floor any NATS-backed server starts from. */
const BARE = `import('@nats-io/transport-node').then(async ({ connect }) => { const nc = await connect({ servers: process.env.NATS_URL }); process.stdout.write('ready\\n'); await nc.close(); })`;
const REPO = fileURLToPath(new URL('../../', import.meta.url));

function bareStart(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', BARE], { cwd: REPO, env: { PATH: process.env.PATH ?? '', NATS_URL: url }, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => (code ? reject(new Error(`bare node exited with ${code}`)) : resolve()));
  });
}

export const scenario: Scenario = {
  name: 'mcp-startup',
  title: 'MCP server start to first answered initialize',
  async run({ fabric, size, rounds, compare }) {
    const projectId = freshProject('start');
    const ops = size(8, 2);
    const result = await compare({
      ours: {
        run: () =>
          timedLanes(ops, 1, async () => {
            const t0 = performance.now();
            const session = await fabric.mcp('warp', fabric.env(projectId, hexId()));
            const latency = performance.now() - t0;
            await session.close();
            return latency;
          }),
      },
      raw: { run: () => lanes(ops, 1, () => bareStart(fabric.nats.url)) },
    });
    return [
      row(
        {
          scenario: this.name,
          operation: '`loom warp` spawn → initialize answered',
          concurrency: 1,
          rounds,
          rawDoes: 'spawn node, import nats.js, connect (no MCP, no kernel)',
          notes: ['latency = spawn to the client having the initialize answer (the time only, not the close)'],
        },
        result,
        [{ metric: 'ours.p50Ms', max: 500 }],
      ),
    ];
  },
};
