// One project's view of the agent registry: writes entries, heartbeats the ones this process registered, answers from the index.
import {
  LoomError,
  agentEntrySchema,
  effectiveStatus,
  type AgentEntry,
  type DiscoverFilter,
  type Identity,
  type KvBucket,
  type Logger,
  type Names,
  type ProjectRegistry,
  type RegisterInput,
  type Scope,
  type StorageService,
} from '../../../core/index.js';
import { AgentIndex } from './agent-index.js';

export interface ProjectRegistryDeps {
  names: Names;
  storage: StorageService;
  /** This process: hostname and principal of the agents it registers, and whose personal bucket it watches. */
  identity: Identity;
  heartbeatMs: number;
  retentionMs: number;
  log: Logger;
}

interface LocalAgent {
  entry: AgentEntry;
  /** The entry as last stored in the project bucket by this process. */
  written?: AgentEntry;
  timer: NodeJS.Timeout;
  /** Writes of one agent run one after another, so a late heartbeat never overwrites a newer state. */
  chain: Promise<void>;
}

export interface ManagedProjectRegistry extends ProjectRegistry {
  stop(): Promise<void>;
}

export function createProjectRegistry(deps: ProjectRegistryDeps): ManagedProjectRegistry {
  const { names, identity, log } = deps;
  const projectId = names.projectId;
  const open = (name: string) => deps.storage.openBucket({ name, ttlMs: deps.retentionMs });
  let buckets: Promise<{ project: KvBucket; public: KvBucket; personal: KvBucket }> | undefined;
  const bucketsOnce = () => {
    buckets ??= Promise.all([open(names.registryBucket), open(names.publicRegistryBucket), open(names.personalRegistryBucket(identity.principalHash))]).then(([project, pub, personal]) => ({ project, public: pub, personal }));
    buckets.catch(() => (buckets = undefined));
    return buckets;
  };
  const index = new AgentIndex(
    async () => {
      const b = await bucketsOnce();
      return [{ bucket: b.project, projectId }, { bucket: b.public }, { bucket: b.personal }];
    },
    deps.retentionMs,
    log,
  );
  const local = new Map<string, LocalAgent>();
  const sharedKey = (agentId: string) => `${projectId}.${agentId}`;

  async function sharedBucket(scope: Scope): Promise<KvBucket | undefined> {
    const b = await bucketsOnce();
    return scope === 'public' ? b.public : scope === 'personal' ? b.personal : undefined;
  }

  /** The project bucket always holds the entry; a public or personal one is also in its shared bucket. */
  async function write(entry: AgentEntry, previousScope?: Scope): Promise<void> {
    const b = await bucketsOnce();
    await b.project.put(entry.id, entry);
    const own = local.get(entry.id);
    if (own) own.written = entry;
    index.record(b.project.name, entry, projectId, entry.id);
    const shared = await sharedBucket(entry.scope);
    if (shared) {
      await shared.put(sharedKey(entry.id), entry);
      index.record(shared.name, entry, projectId, entry.id);
    }
    const before = previousScope && previousScope !== entry.scope ? await sharedBucket(previousScope) : undefined;
    if (before) await remove(before, sharedKey(entry.id), entry.id);
  }

  async function remove(bucket: KvBucket, key: string, agentId: string): Promise<void> {
    await bucket.delete(key);
    index.record(bucket.name, null, projectId, agentId);
  }

  function enqueue(agent: LocalAgent, work: () => Promise<void>): Promise<void> {
    const next = agent.chain.then(work);
    agent.chain = next.catch(() => undefined);
    return next;
  }

  function beat(agentId: string): void {
    const agent = local.get(agentId);
    if (!agent) return;
    void enqueue(agent, async () => {
      agent.entry = { ...agent.entry, lastSeen: new Date().toISOString() };
      await write(agent.entry);
    }).catch((err: unknown) => log.warn({ err, agentId }, 'heartbeat failed; retrying at the next interval'));
  }

  async function read(agentId: string): Promise<{ entry: AgentEntry; revision: number } | null> {
    const found = await (await bucketsOnce()).project.get<unknown>(agentId);
    if (!found) return null;
    const parsed = agentEntrySchema.safeParse(found.value);
    return parsed.success ? { entry: parsed.data, revision: found.revision } : null;
  }

  const registry: ManagedProjectRegistry = {
    projectId,

    async register(input: RegisterInput) {
      const previous = local.get(input.agentId)?.entry ?? (await read(input.agentId))?.entry;
      // Another live process's agent (elsewhere, or someone else's) keeps its entry: taking it over would hijack its
      // direct messages and work. The same host and principal may re-register, e.g. a restarted worker.
      if (previous && !local.has(input.agentId) && effectiveStatus(previous) !== 'offline' && (previous.hostname !== identity.hostname || previous.principal !== identity.principal)) {
        const who = previous.hostname !== identity.hostname ? `on host ${previous.hostname}` : 'by another principal';
        throw new LoomError('LOOM_ERR_CONFLICT', `agentId: ${input.agentId} is registered and online ${who} in project ${projectId}; register under your own id, or wait until it is offline (3 missed heartbeats)`, { agentId: input.agentId });
      }
      const now = new Date().toISOString();
      const entry: AgentEntry = {
        id: input.agentId,
        handle: input.handle ?? previous?.handle ?? `${input.agentType}-${input.agentId.slice(0, 8)}`,
        agentType: input.agentType,
        capabilities: [...new Set(input.capabilities)],
        hostname: identity.hostname,
        projectId,
        principal: identity.principal,
        scope: input.scope,
        status: 'online',
        currentTaskCount: 0,
        registeredAt: now,
        lastSeen: now,
        heartbeatMs: deps.heartbeatMs,
        ...(input.startedBy ? { startedBy: input.startedBy } : {}),
        ...(input.metadata ? { metadata: input.metadata } : {}),
      };
      let agent = local.get(input.agentId);
      if (!agent) {
        const timer = setInterval(() => beat(input.agentId), deps.heartbeatMs);
        timer.unref();
        agent = { entry, timer, chain: Promise.resolve() };
        local.set(input.agentId, agent);
      }
      const held = agent;
      await enqueue(held, async () => {
        held.entry = entry;
        await write(entry, previous?.scope);
      });
      return { ...entry };
    },

    async updatePresence(agentId, patch) {
      const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
      const agent = local.get(agentId);
      if (agent) {
        await enqueue(agent, async () => {
          agent.entry = { ...agent.entry, ...defined, lastSeen: new Date().toISOString() };
          await write(agent.entry);
        });
        return { ...agent.entry };
      }
      const found = await read(agentId);
      if (!found) throw new LoomError('LOOM_ERR_NOT_FOUND', `agent ${agentId} is not registered in project ${projectId}`, { agentId });
      const entry = { ...found.entry, ...defined, lastSeen: new Date().toISOString() };
      const b = await bucketsOnce();
      await b.project.update(agentId, entry, found.revision);
      index.record(b.project.name, entry, projectId, agentId);
      const shared = await sharedBucket(entry.scope);
      if (shared) await shared.put(sharedKey(agentId), entry);
      return { ...entry, status: effectiveStatus(entry) };
    },

    async deregister(agentId) {
      const agent = local.get(agentId);
      if (agent) {
        clearInterval(agent.timer);
        local.delete(agentId);
        await agent.chain;
      }
      const scope = agent?.entry.scope ?? (await read(agentId))?.entry.scope;
      const b = await bucketsOnce();
      await remove(b.project, agentId, agentId);
      const shared = scope ? await sharedBucket(scope) : undefined;
      if (shared) await remove(shared, sharedKey(agentId), agentId);
    },

    async get(agentId) {
      // An agent this process heartbeats: every write of its entry goes through here, so the stored copy is known.
      const written = local.get(agentId)?.written;
      if (written) return { ...written, status: effectiveStatus(written) };
      const found = await read(agentId);
      if (found && Date.now() - Date.parse(found.entry.lastSeen) < deps.retentionMs) return { ...found.entry, status: effectiveStatus(found.entry) };
      await index.ready();
      return index.find(agentId, projectId);
    },

    async discover(filter: DiscoverFilter = {}) {
      await index.ready();
      return index.query(filter);
    },

    async discoverPage({ includeOffline, ...filter }, limit) {
      await index.ready();
      return index.page(filter, limit, includeOffline === true || filter.status !== undefined);
    },

    onChange(listener) {
      index.ready().catch((err: unknown) => log.warn({ err }, 'registry watch failed to start'));
      return index.onChange(listener);
    },

    localAgents: () => [...local.keys()],

    async stop() {
      // A clean stop says so at once instead of waiting for 3 missed heartbeats.
      const leaving = [...local.entries()];
      local.clear();
      await Promise.all(
        leaving.map(async ([agentId, agent]) => {
          clearInterval(agent.timer);
          const offline = enqueue(agent, () => write({ ...agent.entry, status: 'offline', lastSeen: new Date().toISOString() }));
          await Promise.race([offline, new Promise((resolve) => setTimeout(resolve, 2000).unref())]).catch((err: unknown) => log.warn({ err, agentId }, 'could not mark agent offline on stop'));
        }),
      );
      await index.stop();
    },
  };
  return registry;
}
