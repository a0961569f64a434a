// Resident memory: a `loom warp` after some use, and `loom weft` serving 100 idle projects.
import { setTimeout as sleep } from 'node:timers/promises';
import { core, workEventsPlugin, workQueuePlugin } from '../lib/layer.js';
import { freshProject, hexId } from '../lib/fabric.js';
import { pidProbe } from '../lib/probe.js';
import { valueRow, type Row, type Scenario } from '../lib/scenario.js';

const MB = 1048576;

/** Samples a process's CPU and resident memory over a window. */
async function observe(pid: number, ms: number): Promise<{ rssMb: number; peakMb: number; cpuPercent: number }> {
  const probe = pidProbe(pid);
  const cpu0 = probe.cpuUs();
  const t0 = performance.now();
  let rss = 0;
  while (performance.now() - t0 < ms) {
    rss = Math.max(rss, probe.rssBytes());
    await sleep(100);
  }
  const cpuPercent = ((probe.cpuUs() - cpu0) / 1000 / (performance.now() - t0)) * 100;
  return { rssMb: Math.round((rss / MB) * 10) / 10, peakMb: Math.round((probe.peakRssBytes() / MB) * 10) / 10, cpuPercent: Math.round(cpuPercent * 10) / 10 };
}

export const scenario: Scenario = {
  name: 'resident-memory',
  title: 'resident memory: warp; weft with 100 idle projects',
  async run({ fabric, size, log }) {
    const rows: Row[] = [];
    const projectId = freshProject('rss');
    const session = await fabric.mcp('warp', fabric.env(projectId, hexId()));
    await session.call('register_agent', { agentType: 'bench', capabilities: ['bench'] });
    for (let i = 0; i < 50; i++) await session.call('send_message', { channel: 'parallel-work', message: `message ${i}` });
    await session.call('read_messages', { channel: 'parallel-work', limit: 50 });
    await session.call('broadcast_work_offer', { taskId: 'bench', description: 'item', requiredCapability: 'bench' });
    await session.call('claim_work', { capability: 'bench', timeout: 1000 });
    await session.call('discover_agents', {});
    const warp = await observe(session.pid()!, size(3000, 500));
    rows.push(valueRow({ scenario: this.name, operation: '`loom warp` resident memory after use', extra: { rssMb: warp.rssMb, peakRssMb: warp.peakMb, idleCpuPercent: warp.cpuPercent }, notes: ['after register, 50 send_message, read_messages, an offer, a claim and discover_agents; RSS sampled for a few seconds idle'] }, { ops: 1, peakRssMb: warp.rssMb }, [{ metric: 'extra.rssMb', max: 80 }]));
    await session.close();

    // 100 projects that each had some work (their streams exist), then nothing: what weft keeps per idle project.
    const projects = size(100, 10);
    const kernel = await fabric.kernel([workEventsPlugin, workQueuePlugin], { projectId: 'bench' });
    const queues = kernel.use(core.workQueueService);
    for (let i = 0; i < projects; i++) {
      const id = freshProject(`idle${i}`);
      await queues.forProject(id).offer({ workId: `w-${hexId(6)}`, description: 'item', capability: 'bench', priority: 5, offeredBy: kernel.identity.agentId, scope: 'team' });
    }
    await kernel.stop();
    const weft = await fabric.weft({ NATS_URL: fabric.nats.url, LOOMINAL_PROJECT_ID: freshProject('weft') });
    const deadline = Date.now() + 60_000;
    let known = 0;
    while (Date.now() < deadline) {
      const response = await fetch(`${weft.url}/api/stats/projects`).catch(() => undefined);
      const body = response?.ok ? ((await response.json()) as { projects?: unknown[]; items?: unknown[] }) : undefined;
      known = (body?.projects ?? body?.items ?? []).length;
      if (known >= projects) break;
      await sleep(250);
    }
    log(`weft knows ${known} projects`);
    await sleep(size(3000, 500));
    const idle = await observe(weft.pid, size(5000, 1000));
    rows.push(valueRow({ scenario: this.name, operation: `\`loom weft\` with ${projects} idle projects`, extra: { rssMb: idle.rssMb, peakRssMb: idle.peakMb, idleCpuPercent: idle.cpuPercent, projectsKnown: known }, notes: ['each project had one offer (work and events streams exist), then nothing; RSS and CPU sampled while idle'] }, { ops: 1, peakRssMb: idle.rssMb }, [{ metric: 'extra.rssMb', max: 150 }]));
    await weft.stop();
    return rows;
  },
};
