// Scale: 1,000 agents heartbeating in one project while one weft serves 100 projects: heartbeat lag and weft CPU.
import { setTimeout as sleep } from 'node:timers/promises';
import { KvWatchInclude } from '@nats-io/kv';
import { core, registryServicePlugin, workEventsPlugin, workQueuePlugin } from '../lib/layer.js';
import { freshProject, hexId } from '../lib/fabric.js';
import { pidProbe, selfProbe } from '../lib/probe.js';
import { percentile, round3 } from '../lib/stats.js';
import { valueRow, type Scenario } from '../lib/scenario.js';

/** 15× the default rate (30 s), so a short window sees many beats per agent. */
const HEARTBEAT_MS = 2000;

export const scenario: Scenario = {
  name: 'scale',
  title: '1,000 agents heartbeating in one project, 100 projects on one weft',
  async run({ fabric, size, log }) {
    const projects = size(100, 5);
    const setup = await fabric.kernel([workEventsPlugin, workQueuePlugin], { projectId: 'bench' });
    for (let i = 1; i < projects; i++) {
      await setup.use(core.workQueueService).forProject(freshProject(`scale${i}`)).offer({ workId: `w-${hexId(6)}`, description: 'item', capability: 'bench', priority: 5, offeredBy: setup.identity.agentId, scope: 'team' });
    }
    await setup.stop();
    const projectId = freshProject('scale0');
    const weft = await fabric.weft({ NATS_URL: fabric.nats.url, LOOMINAL_PROJECT_ID: projectId, LOOMINAL_HEARTBEAT_MS: String(HEARTBEAT_MS) });

    const raw = await fabric.raw();
    const agents = size(1000, 100);
    const kernel = await fabric.kernel([registryServicePlugin], { projectId, options: { 'service:registry': { heartbeatMs: HEARTBEAT_MS } } });
    const registry = kernel.use(core.registryService).forProject(projectId);
    const bucket = await raw.kvm.create(core.createNames(projectId).registryBucket);
    const seen = new Map<string, number>();
    const intervals: number[] = [];
    const watch = await bucket.watch({ include: KvWatchInclude.UpdatesOnly });
    let measuring = false;
    void (async () => {
      for await (const entry of watch) {
        const now = performance.now();
        const last = seen.get(entry.key);
        if (measuring && last !== undefined) intervals.push(now - last);
        seen.set(entry.key, now);
      }
    })();
    const t0 = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (next < agents) {
        next++;
        await registry.register({ agentId: hexId(), agentType: 'bench', capabilities: ['bench'], scope: 'team' });
      }
    }));
    log(`${agents} agents registered in ${Math.round(performance.now() - t0)} ms`);
    await sleep(HEARTBEAT_MS * 2);
    measuring = true;
    const weftProbe = pidProbe(weft.pid);
    const window = size(20_000, 4000);
    const cpu0 = weftProbe.cpuUs();
    const self0 = selfProbe.cpuUs();
    const w0 = performance.now();
    let weftRss = 0;
    while (performance.now() - w0 < window) {
      weftRss = Math.max(weftRss, weftProbe.rssBytes());
      await sleep(200);
    }
    const wallMs = performance.now() - w0;
    const weftCpuPercent = ((weftProbe.cpuUs() - cpu0) / 1000 / wallMs) * 100;
    const agentsCpuPercent = ((selfProbe.cpuUs() - self0) / 1000 / wallMs) * 100;
    measuring = false;
    const stats = await fetch(`${weft.url}/api/stats?projectId=${projectId}`).then((r) => r.json() as Promise<{ agents?: Record<string, number> }>).catch(() => undefined);
    watch.stop();
    await kernel.stop();
    await weft.stop();
    // Lag: how much later than its interval a heartbeat was seen (an early one is no lag).
    const lags = intervals.map((interval) => Math.max(0, interval - HEARTBEAT_MS));
    const late = intervals.filter((interval) => interval > HEARTBEAT_MS * 3).length;
    return [
      valueRow(
        {
          scenario: this.name,
          operation: `${agents} agents heartbeating every ${HEARTBEAT_MS} ms, ${projects} projects on one weft`,
          extra: {
            heartbeatsSeen: intervals.length,
            expectedHeartbeats: Math.round((agents * wallMs) / HEARTBEAT_MS),
            lagP50Ms: round3(percentile(lags, 50)),
            lagP95Ms: round3(percentile(lags, 95)),
            lagMaxMs: round3(Math.max(...lags)),
            gapsOver3Beats: late,
            weftCpuPercent: Math.round(weftCpuPercent * 10) / 10,
            weftRssMb: Math.round(weftRss / 1048576),
            heartbeatingProcessCpuPercent: Math.round(agentsCpuPercent * 10) / 10,
            weftOnline: stats?.agents?.online ?? -1,
          },
          notes: ['lag = how much longer than the interval two observed heartbeats of one agent were apart (0 when on time; a raw KV watcher observes the bucket); gapsOver3Beats would have shown the agent offline'],
        },
        { ops: intervals.length, p50Ms: round3(percentile(lags, 50)), p95Ms: round3(percentile(lags, 95)), p99Ms: round3(percentile(lags, 99)), peakRssMb: Math.round(weftRss / 1048576) },
        [{ metric: 'extra.gapsOver3Beats', max: 0 }],
      ),
    ];
  },
};
