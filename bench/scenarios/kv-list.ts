// storage:nats-kv list() of a 10,000-key bucket (what registry and memory indexes load at start) against keys + gets.
import { core } from '../lib/layer.js';
import { freshProject, hexId } from '../lib/fabric.js';
import { fillBucket } from '../lib/raw-kv.js';
import { lanes } from '../lib/rounds.js';
import { row, type Scenario } from '../lib/scenario.js';

export const scenario: Scenario = {
  name: 'kv-list',
  title: 'storage:nats-kv list() of 10,000 keys',
  async run({ fabric, size, rounds, compare }) {
    const keys = size(10_000, 300);
    const name = core.createNames(freshProject('list')).registryBucket;
    const raw = await fabric.raw();
    const kv = await fillBucket(raw, name, Array.from({ length: keys }, (_, i) => [`k${String(i).padStart(6, '0')}.${hexId(4)}`, { i, note: 'a value of typical size for a registry entry or a memory record'.repeat(3) }]));
    const kernel = await fabric.kernel([], {});
    const bucket = await kernel.use(core.storageService).openBucket({ name });
    const ops = size(4, 2);
    const result = await compare({
      ours: {
        run: () =>
          lanes(ops, 1, async () => {
            if ((await bucket.list()).length !== keys) throw new Error('list() missed entries');
          }),
      },
      raw: {
        run: () =>
          lanes(ops, 1, async () => {
            const names: string[] = [];
            for await (const key of await kv.keys()) names.push(key);
            const entries = await Promise.all(names.map((key) => kv.get(key)));
            if (entries.length !== keys) throw new Error('keys() missed entries');
          }),
      },
    });
    await kernel.stop();
    return [
      row(
        { scenario: this.name, operation: `KvBucket.list() of ${keys} keys (storage:nats-kv)`, concurrency: 1, rounds, rawDoes: 'kv.keys() then kv.get() of every key, all in flight at once (how list() worked before)', notes: ['one ephemeral consumer delivering the last message per key, fetched 1,000 at a time'] },
        result,
      ),
    ];
  },
};
