// What a scrape of weft reads fresh: agents by status, work by state, queue depth and oldest age, dead letters, the
// agents weft started, and the spin-up skips recorded since the last scrape — for every project weft serves.
import { Gauge, type Registry } from 'prom-client';
import { isLoomError, spinUpService, type Logger, type NatsService, type ServiceRef, type SpinUpService, type WeftCaller, type WeftService } from '../../core/index.js';
import { oldestAges } from './oldest-age.js';

interface ProjectStats {
  agents: Record<string, number>;
  work: Record<string, number>;
  queueDepth: Record<string, number>;
  deadLetters: number;
}

const INTERNAL: WeftCaller = { projects: 'all', via: 'internal' };

export interface SnapshotDeps {
  weft: WeftService;
  nats: NatsService;
  use<T>(ref: ServiceRef<T>): T;
  log: Logger;
}

export function optionalSpinUp(use: SnapshotDeps['use']): SpinUpService | undefined {
  try {
    return use(spinUpService);
  } catch (err) {
    if (isLoomError(err, 'LOOM_ERR_UNKNOWN_SERVICE')) return undefined;
    throw err;
  }
}

export function createWeftSnapshot(registry: Registry, deps: SnapshotDeps) {
  const gauge = (name: string, help: string, labelNames: string[]) => new Gauge({ name, help, labelNames, registers: [registry] });
  const agents = gauge('loom_agents', 'Agents by effective status (offline once 3 heartbeats are missed)', ['project', 'status']);
  const work = gauge('loom_work_items', 'Work items weft tracks, by state', ['project', 'state']);
  const depth = gauge('loom_queue_depth', 'Items on the capability queue (waiting, or held under a lease)', ['project', 'capability']);
  const oldest = gauge('loom_queue_oldest_age_seconds', 'Age of the oldest item on the capability queue', ['project', 'capability']);
  const deadLetters = gauge('loom_dead_letters', 'Items in the dead-letter queue', ['project']);
  const spawned = gauge('loom_spawned_agents', 'Agents weft started and has not torn down, by target and state', ['project', 'target', 'state']);
  const leader = gauge('loom_weft_leader', '1 when this weft instance holds the lease and acts', []);
  const projects = gauge('loom_weft_projects', 'Projects this weft serves', []);

  async function readSpinUps(service: SpinUpService, projectId: string): Promise<void> {
    if (service.listSpawned) for (const agent of await service.listSpawned(projectId)) spawned.inc({ project: projectId, target: agent.targetId, state: agent.state });
  }

  async function refreshProject(projectId: string, spinUp: SpinUpService | undefined): Promise<void> {
    const stats = (await deps.weft.call('stats.get', { projectId }, INTERNAL)) as ProjectStats;
    for (const [status, n] of Object.entries(stats.agents)) agents.set({ project: projectId, status }, n);
    for (const [state, n] of Object.entries(stats.work)) work.set({ project: projectId, state }, n);
    for (const [capability, n] of Object.entries(stats.queueDepth)) depth.set({ project: projectId, capability }, n);
    deadLetters.set({ project: projectId }, stats.deadLetters);
    const waiting = Object.entries(stats.queueDepth).filter(([, n]) => n > 0).map(([capability]) => capability);
    for (const [capability, seconds] of Object.entries(await oldestAges(deps.nats, projectId, waiting))) oldest.set({ project: projectId, capability }, seconds);
    if (spinUp) await readSpinUps(spinUp, projectId);
  }

  return async function refresh(): Promise<void> {
    for (const metric of [agents, work, depth, oldest, deadLetters, spawned]) metric.reset();
    leader.set(deps.weft.isLeader() ? 1 : 0);
    // Without NATS nothing per project can be read: the scrape answers at once with the process and connection only.
    if (!deps.nats.isConnected()) return;
    let list: { projects: Array<{ projectId: string }> };
    try {
      list = (await deps.weft.call('global.projects', {}, INTERNAL)) as typeof list;
    } catch (err) {
      deps.log.warn({ err }, 'could not list projects for /metrics');
      return;
    }
    projects.set(list.projects.length);
    const spinUp = optionalSpinUp(deps.use);
    for (const { projectId } of list.projects) {
      // One project that cannot be read (its streams just went away) leaves the others' numbers intact.
      await refreshProject(projectId, spinUp).catch((err: unknown) => deps.log.warn({ err, projectId }, 'could not read a project for /metrics'));
    }
  };
}
