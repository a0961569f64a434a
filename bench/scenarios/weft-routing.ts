// Weft: routing decisions in process (classifier chain + matching online agents), and POST /api/work until assigned.
import { setTimeout as sleep } from 'node:timers/promises';
import { KvWatchInclude } from '@nats-io/kv';
import type { JetStreamManager } from '@nats-io/jetstream';
import { core, loadWeft, registryServicePlugin, workEventsPlugin, workQueuePlugin } from '../lib/layer.js';
import { freshProject, hexId } from '../lib/fabric.js';
import { pidProbe } from '../lib/probe.js';
import { createRawQueue } from '../lib/raw-work.js';
import { fillBucket } from '../lib/raw-kv.js';
import { lanes, timedLanes } from '../lib/rounds.js';
import { row, valueRow, type Row, type Scenario } from '../lib/scenario.js';

const DAY = 24 * 60 * 60 * 1000;
const TYPES = ['claude-code', 'copilot', 'codex'];

/**
 * A freshly started weft follows every project's work events from their start: after the earlier scenarios that is
 * thousands of events, and measuring while it catches up would time the backlog, not a submission.
 */
async function caughtUp(jsm: JetStreamManager, consumer: string, timeoutMs = 180_000): Promise<{ ms: number; events: number }> {
  const t0 = performance.now();
  const streams: string[] = [];
  for await (const stream of jsm.streams.names()) if (/^LOOM_.+_EVENTS$/.test(stream)) streams.push(stream);
  let events = 0;
  for (const stream of streams) events += (await jsm.streams.info(stream)).state.messages;
  for (;;) {
    let behind = 0;
    for (const stream of streams) {
      const info = await jsm.consumers.info(stream, consumer).catch(() => undefined);
      behind += info ? info.num_pending + info.num_ack_pending : 1;
    }
    if (behind === 0) return { ms: Math.round(performance.now() - t0), events };
    if (performance.now() - t0 > timeoutMs) throw new Error(`weft still had ${behind} work events to follow after ${timeoutMs} ms`);
    await sleep(200);
  }
}

export const scenario: Scenario = {
  name: 'weft-routing',
  title: 'weft routing decisions; POST /api/work until assigned',
  async run({ fabric, size, rounds, compare, log }) {
    const weft = await loadWeft();
    const rows: Row[] = [];
    const projectId = freshProject('route');
    const raw = await fabric.raw();
    const agents = size(1000, 100);
    const now = new Date().toISOString();
    await fillBucket(
      raw,
      core.createNames(projectId).registryBucket,
      Array.from({ length: agents }, (_, i) => {
        const id = hexId();
        return [id, { id, handle: `agent-${i}`, agentType: TYPES[i % 3], capabilities: [`cap-${i % 10}`], hostname: 'bench', projectId, principal: 'bench@bench', scope: 'team', status: 'online', currentTaskCount: i % 4, registeredAt: now, lastSeen: now, heartbeatMs: DAY }];
      }),
      256,
      DAY,
    );

    // The decision weft makes for every submitted item, measured on its own (no HTTP, no KV write, no offer).
    const kernel = await fabric.kernel([registryServicePlugin, weft.boundaryClassifier, weft.capabilityClassifier], { projectId });
    const router = weft.createRouter(kernel.registries.classifiers, ['boundary', 'capability']);
    const registry = kernel.use(core.registryService).forProject(projectId);
    const work = (i: number) => ({ workId: `w-${i}`, projectId, description: 'fix the flaky parser test', capability: `cap-${i % 10}`, boundary: i % 2 ? 'personal' : 'open-source', priority: 5 });
    await router.decide(work(0), registry);
    const ops = size(5000, 300);
    const routing = await compare({ ours: { run: () => lanes(ops, 1, (i) => router.decide(work(i), registry)) } });
    rows.push(row({ scenario: this.name, operation: `weft routing decision (${agents} agents, in process)`, concurrency: 1, rounds, notes: ['classifier:boundary then classifier:capability, then matching online agents from the registry index'] }, routing, [{ metric: 'ours.throughput', min: 10_000 }, { metric: 'ours.p95Ms', max: 2 }]));
    await kernel.stop();

    // POST /api/work with an agent already waiting: until weft's record says assigned (the claimed event reached it).
    const wproject = freshProject('weftapi');
    const w = await fabric.weft({ NATS_URL: fabric.nats.url, LOOMINAL_PROJECT_ID: wproject, WEFT_RATE_LIMIT_MAX: '0' });
    const wnames = core.createNames(wproject);
    const catchUp = await caughtUp(raw.jsm, wnames.workEventsConsumer(wnames.weftEventsDurable));
    const catchUpMs = catchUp.ms;
    log(`weft caught up on the earlier scenarios' ${catchUp.events} work events in ${catchUpMs} ms`);
    if (catchUp.events > 0) {
      rows.push(
        valueRow(
          { scenario: this.name, operation: 'weft following work events after its start (every project, from the start)', extra: { events: catchUp.events, catchUpMs }, notes: ['the earlier scenarios\' work events (offered, claimed, completed…), each moving a weft record; ops/s = events ÷ time from weft answering to no event left to follow'] },
          { ops: catchUp.events, throughput: Math.round(catchUp.events / Math.max(0.001, catchUpMs / 1000)), peakRssMb: Math.round((pidProbe(w.pid).peakRssBytes() / 1048576) * 10) / 10 },
        ),
      );
    }
    const worker = await fabric.kernel([registryServicePlugin, workEventsPlugin, workQueuePlugin], { projectId: wproject });
    const agentId = worker.identity.agentId;
    await worker.use(core.registryService).forProject(wproject).register({ agentId, agentType: 'claude-code', capabilities: ['bench'], scope: 'team' });
    const queue = worker.use(core.workQueueService).forProject(wproject);
    // Weft can write "assigned" before the POST's answer reaches us: a time seen first waits here for its waiter.
    const assignedAt = new Map<string, (t: number) => void>();
    const assignedEarly = new Map<string, number>();
    const records = await raw.kvm.create(wnames.weftWorkBucket);
    const watch = await records.watch({ include: KvWatchInclude.UpdatesOnly });
    void (async () => {
      for await (const entry of watch) {
        if (entry.operation !== 'PUT') continue;
        const record = entry.json<{ workId: string; state: string }>();
        if (record.state !== 'assigned') continue;
        const waiter = assignedAt.get(record.workId);
        if (waiter) waiter(performance.now());
        else assignedEarly.set(record.workId, performance.now());
      }
    })();
    const submit = async () => {
      const response = await fetch(`${w.url}/api/work`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ description: 'bench item', capability: 'bench', priority: 5 }) });
      if (response.status !== 201) throw new Error(`POST /api/work answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as { workId: string };
    };
    await submit().then(async () => queue.claim('bench', { agentId, timeoutMs: 10_000 }).then((c) => c && queue.complete(c.item.workId, agentId, null)));
    const rawQueue = await createRawQueue(raw, 'weftapi');
    const rawPuller = rawQueue.puller(await fabric.raw());
    const apiOps = size(150, 10);
    const api = await compare({
      ours: {
        probe: pidProbe(w.pid),
        run: () =>
          timedLanes(apiOps, 1, async () => {
            const claimed = queue.claim('bench', { agentId, timeoutMs: 10_000 });
            await sleep(15);
            const t0 = performance.now();
            let resolveAssigned!: (t: number) => void;
            const assigned = new Promise<number>((resolve) => (resolveAssigned = resolve));
            const { workId } = await submit();
            assignedAt.set(workId, resolveAssigned);
            const early = assignedEarly.get(workId);
            if (early !== undefined) resolveAssigned(early);
            assignedEarly.delete(workId);
            const got = await claimed;
            const t1 = await Promise.race([assigned, sleep(10_000).then(() => Number.NaN)]);
            assignedAt.delete(workId);
            if (got) await queue.complete(got.item.workId, agentId, null);
            return t1 - t0;
          }),
      },
      raw: {
        run: () =>
          timedLanes(apiOps, 1, async () => {
            const next = rawPuller.next(10_000);
            await sleep(15);
            const t0 = performance.now();
            const id = hexId(8);
            await raw.js.publish(rawQueue.subject, rawQueue.payload(id), { msgID: id });
            const msg = await next;
            msg?.ack();
            return performance.now() - t0;
          }),
      },
    });
    watch.stop();
    rows.push(
      row(
        {
          scenario: this.name,
          operation: 'POST /api/work → record assigned (weft + waiting agent)',
          concurrency: 1,
          rounds,
          rawDoes: 'js.publish to a work-queue stream with a waiting pull of one message (reused inbox)',
          extra: { weftCatchUpMs: catchUpMs },
          notes: ['latency from the POST to weft writing state "assigned" (routing, record, offer, claim, claimed event, weft update); cpu µs/op is the weft process', 'weftCatchUpMs: measured only once weft had followed every earlier project\'s work events (it reads each project from its start)'],
        },
        api,
        [{ metric: 'ours.p95Ms', max: 10 }],
      ),
    );
    log(`weft rss ${Math.round(pidProbe(w.pid).rssBytes() / 1048576)} MB`);
    await worker.stop();
    await w.stop();
    return rows;
  },
};
