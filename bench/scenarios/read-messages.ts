// Reading a channel that holds 1,000 messages: all of them through service:channels, and a page through read_messages.
import { core, channelsServicePlugin } from '../lib/layer.js';
import { freshProject, hexId } from '../lib/fabric.js';
import { pidProbe } from '../lib/probe.js';
import { lanes } from '../lib/rounds.js';
import { row, type Row, type Scenario } from '../lib/scenario.js';
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';

const BODY = 'status: tests green on the parser branch; starting the lexer next. '.repeat(2);

export const scenario: Scenario = {
  name: 'read-messages',
  title: 'read_messages of 1,000 messages',
  async run({ fabric, size, rounds, compare }) {
    const projectId = freshProject('read');
    const count = size(1000, 200);
    const kernel = await fabric.kernel([channelsServicePlugin], { projectId });
    const channels = kernel.use(core.channelsService).forProject(projectId);
    const from = { agentId: kernel.identity.agentId, projectId };
    let next = 0;
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (next++ < count) await channels.publish('roadmap', { from, message: BODY });
    }));
    const raw = await fabric.raw();
    const names = core.createNames(projectId);
    const ops = size(100, 10);
    const rows: Row[] = [];

    const all = await compare({
      ours: {
        run: () =>
          lanes(ops, 1, async () => {
            const page = await channels.read('roadmap', { since: 0, limit: count });
            if (page.messages.length !== count) throw new Error(`read ${page.messages.length} of ${count} messages`);
          }),
      },
      raw: {
        run: () =>
          lanes(ops, 1, async () => {
            // The plain-client way: an ephemeral consumer on the subject, fetched in batches, then deleted.
            const info = await raw.jsm.consumers.add(names.channelsStream, { filter_subject: names.channelSubject('roadmap'), deliver_policy: DeliverPolicy.All, ack_policy: AckPolicy.None, mem_storage: true });
            const consumer = raw.js.consumers.getConsumerFromInfo(info);
            let got = 0;
            while (got < count) {
              const batch = await consumer.fetch({ max_messages: Math.min(256, count - got), expires: 2000 });
              for await (const m of batch) {
                JSON.parse(m.string());
                got++;
              }
            }
            await raw.jsm.consumers.delete(names.channelsStream, info.name);
          }),
      },
    });
    rows.push(row({ scenario: this.name, operation: `channels.read of all ${count} messages (service)`, concurrency: 1, rounds, rawDoes: 'an ephemeral consumer fetched in batches of 256, JSON-parsed' }, all, [{ metric: 'ours.p95Ms', max: 20 }]));

    const session = await fabric.mcp('warp', fabric.env(projectId, hexId()));
    const page = await compare({
      ours: { probe: pidProbe(session.pid()!), run: () => lanes(ops, 1, () => session.call('read_messages', { channel: 'roadmap', limit: 200 })) },
    });
    rows.push(row({ scenario: this.name, operation: `read_messages, newest 200 of ${count} (MCP)`, concurrency: 1, rounds, notes: ['the largest page the tool gives (limit 200); cpu µs/op is the warp process'] }, page, [{ metric: 'ours.p95Ms', max: 20 }]));
    await session.close();
    await kernel.stop();
    return rows;
  },
};
