// send_message, claim_work and complete_work as MCP calls over stdio to a spawned `loom warp`, against raw nats.js.
import { core, workEventsPlugin, workQueuePlugin } from '../lib/layer.js';
import { freshProject, hexId } from '../lib/fabric.js';
import { pidProbe } from '../lib/probe.js';
import { createRawQueue, type RawPulled } from '../lib/raw-work.js';
import { row, type Row, type Scenario } from '../lib/scenario.js';

const BODY = 'status: tests green on the parser branch; starting the lexer next. '.repeat(3);
const SEND_TARGETS = [{ metric: 'ours.p50Ms', max: 0.6 }, { metric: 'ours.p95Ms', max: 1.5 }];

/** n times: `first` then `second`, timing only one of them. */
async function cycles(n: number, first: () => Promise<unknown>, second: () => Promise<unknown>, timed: 'first' | 'second'): Promise<{ latenciesMs: number[]; ops: number }> {
  const latenciesMs: number[] = [];
  for (let i = 0; i < n; i++) {
    let t0 = performance.now();
    await first();
    if (timed === 'first') latenciesMs.push(performance.now() - t0);
    t0 = performance.now();
    await second();
    if (timed === 'second') latenciesMs.push(performance.now() - t0);
  }
  return { latenciesMs, ops: n };
}

export const scenario: Scenario = {
  name: 'mcp-calls',
  title: 'send_message, claim_work and complete_work as MCP calls over stdio',
  async run({ fabric, size, rounds, compare }) {
    const projectId = freshProject('mcp');
    const agentId = hexId();
    const session = await fabric.mcp('warp', fabric.env(projectId, agentId));
    const probe = pidProbe(session.pid()!);
    await session.call('register_agent', { agentType: 'bench', capabilities: ['bench'] });
    await session.call('send_message', { channel: 'parallel-work', message: 'warm-up' });
    const raw = await fabric.raw();
    const names = core.createNames(projectId);
    const from = { agentId, projectId };
    const ops = size(300, 20);
    const rows: Row[] = [];

    // The floor under every tool call: an MCP ping over the same stdio pipes (JSON-RPC both ways, no tool, no NATS).
    const ping = await compare({ ours: { probe, run: async () => cycles(ops, () => session.client.ping(), async () => {}, 'first') } });
    rows.push(row({ scenario: this.name, operation: 'MCP ping over stdio (the floor under a tool call)', concurrency: 1, rounds, notes: ['what the SDK client, two pipes and the SDK server cost before any tool runs; cpu µs/op is the warp process'] }, ping));

    const send = await compare({
      ours: { probe, run: async () => cycles(ops, () => session.call('send_message', { channel: 'parallel-work', message: BODY }), async () => {}, 'first') },
      raw: {
        run: () =>
          cycles(ops, () => {
            const id = hexId();
            return raw.js.publish(names.channelSubject('parallel-work'), JSON.stringify({ id, channel: 'parallel-work', from, message: BODY, sentAt: new Date().toISOString() }), { msgID: id });
          }, async () => {}, 'first'),
      },
    });
    rows.push(row({ scenario: this.name, operation: 'send_message (MCP over stdio)', concurrency: 1, rounds, rawDoes: 'js.publish of the same envelope (no MCP, no process hop)', notes: ['cpu µs/op is the warp process'] }, send, SEND_TARGETS));

    // Items come from an offerer in this process (untimed), so claim_work always finds one waiting.
    const offerer = await fabric.kernel([workEventsPlugin, workQueuePlugin], { projectId });
    const queue = offerer.use(core.workQueueService).forProject(projectId);
    const fill = async () => {
      for (let i = 0; i < ops; i++) await queue.offer({ workId: `w-${hexId(8)}`, description: 'bench item', capability: 'bench', priority: 5, offeredBy: offerer.identity.agentId, scope: 'team' });
    };
    const rawQueue = await createRawQueue(raw, 'mcp');
    const puller = rawQueue.puller(raw);
    const rawFill = async () => {
      for (let i = 0; i < ops; i++) {
        const workId = `w-${hexId(8)}`;
        await raw.js.publish(rawQueue.subject, rawQueue.payload(workId), { msgID: workId });
      }
    };
    let workId = '';
    const claim = async () => {
      const claimed = await session.call<{ work: { workId: string } | null }>('claim_work', { capability: 'bench', timeout: 5000 });
      if (!claimed.work) throw new Error('claim_work found nothing although items were offered');
      workId = claimed.work.workId;
    };
    const complete = () => session.call('complete_work', { workId, result: { ok: true } });
    let msg: RawPulled | null = null;
    const next = async () => {
      msg = await puller.next(5000);
      if (!msg) throw new Error('raw pull found nothing although items were published');
    };
    const ack = () => msg!.ackAck();

    for (const [operation, timed] of [['claim_work (MCP over stdio)', 'first'], ['complete_work (MCP over stdio)', 'second']] as const) {
      const result = await compare({
        ours: { probe, prepare: fill, run: () => cycles(ops, claim, complete, timed) },
        raw: { prepare: rawFill, run: () => cycles(ops, next, ack, timed) },
      });
      const rawDoes = timed === 'first' ? 'a pull of one message over a reused inbox on a work-queue stream' : 'ackAck() of a pulled message';
      rows.push(row({ scenario: this.name, operation, concurrency: 1, rounds, rawDoes, notes: ['ops/s counts claim + complete cycles; cpu µs/op is the warp process'] }, result, timed === 'first' ? SEND_TARGETS : []));
    }
    await session.close();
    await offerer.stop();
    return rows;
  },
};
