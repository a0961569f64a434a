// Multi-tenancy: per-project handles (buckets, registry, queue) made on first use, and discovery of projects on NATS.
// A project is "active" for weft once it has work events or weft state; only active projects cost a consumer.
import {
  assertProjectId,
  createNames,
  natsService,
  projectStreamOf,
  registryService,
  storageService,
  workQueueService,
  type KvBucket,
  type Names,
  type PluginContext,
  type ProjectRegistry,
  type ProjectWorkQueue,
} from '../../../core/index.js';
import { rememberWrites } from './record-cache.js';

const ORCHESTRATIONS_TTL_MS = 24 * 60 * 60 * 1000;

export interface ProjectHandle {
  readonly projectId: string;
  readonly names: Names;
  workBucket(): Promise<KvBucket>;
  assignmentsBucket(): Promise<KvBucket>;
  targetsBucket(): Promise<KvBucket>;
  orchestrationsBucket(): Promise<KvBucket>;
  registry(): ProjectRegistry;
  queue(): ProjectWorkQueue;
  lastActivity: number;
}

export interface Projects {
  /** The handle of a project, made on first use (the id is validated as a token); no I/O until a bucket is used. */
  get(projectId: string): ProjectHandle;
  /** Notes activity (a request or an event) for the project list. */
  touch(projectId: string): void;
  /** Projects seen so far (used, or found by discovery). */
  known(): string[];
  /** Projects with work events or weft state: the ones weft follows and checks. */
  active(): string[];
  /** Marks a project active (weft wrote work or a target for it). */
  markActive(projectId: string): void;
  /** Scans the NATS server for streams and buckets with loom names. */
  discover(): Promise<void>;
  onActive(listener: (projectId: string) => void): () => void;
}

export function createProjects(ctx: PluginContext<unknown>): Projects {
  const handles = new Map<string, ProjectHandle>();
  const active = new Set<string>();
  const listeners = new Set<(projectId: string) => void>();
  const storage = ctx.use(storageService);

  const markActive = (projectId: string) => {
    if (active.has(projectId)) return;
    active.add(projectId);
    for (const listener of listeners) listener(projectId);
  };

  const lazyBucket = (name: string, projectId: string | undefined, ttlMs?: number, wrap: (bucket: KvBucket) => KvBucket = (b) => b) => {
    let bucket: Promise<KvBucket> | undefined;
    return () => {
      if (projectId) markActive(projectId);
      bucket ??= storage.openBucket({ name, ...(ttlMs ? { ttlMs } : {}) }).then(wrap);
      bucket.catch(() => (bucket = undefined));
      return bucket;
    };
  };

  const get = (projectId: string): ProjectHandle => {
    const existing = handles.get(projectId);
    if (existing) return existing;
    const id = assertProjectId(projectId);
    const names = createNames(id);
    let registry: ProjectRegistry | undefined;
    let queue: ProjectWorkQueue | undefined;
    const handle: ProjectHandle = {
      projectId: id,
      names,
      // Weft is these buckets' only writer (the lease holder): its updates start from its own last write.
      workBucket: lazyBucket(names.weftWorkBucket, id, undefined, rememberWrites),
      assignmentsBucket: lazyBucket(names.weftAssignmentsBucket, id, undefined, rememberWrites),
      targetsBucket: lazyBucket(names.weftTargetsBucket, id),
      // Shuttle's bucket, opened with shuttle's 24 h age so that whoever creates it first creates it the same way.
      orchestrationsBucket: lazyBucket(names.orchestrationsBucket, undefined, ORCHESTRATIONS_TTL_MS),
      // The registry and queue services keep their own per-project state; ask for it only when needed.
      registry: () => (registry ??= ctx.use(registryService).forProject(id)),
      queue: () => (queue ??= ctx.use(workQueueService).forProject(id)),
      lastActivity: Date.now(),
    };
    handles.set(id, handle);
    return handle;
  };

  return {
    get,
    touch(projectId) {
      get(projectId).lastActivity = Date.now();
    },
    known: () => [...handles.keys()].sort(),
    active: () => [...active].sort(),
    markActive: (projectId) => markActive(get(projectId).projectId),
    async discover() {
      const jsm = await ctx.use(natsService).manager();
      for await (const stream of jsm.streams.names()) {
        const found = projectStreamOf(stream);
        if (!found) continue;
        get(found.projectId);
        if (found.kind === 'events' || found.kind === 'weft') markActive(found.projectId);
      }
    },
    onActive(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
