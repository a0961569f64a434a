// The local, watch-driven index of agent entries that discover() answers from (no bucket scan per call).
import { agentEntrySchema, isVisible, smallestKeys, statusAt, type AgentEntry, type DiscoverFilter, type DiscoverPage, type KvBucket, type KvChange, type KvWatch, type Logger } from '../../../core/index.js';

/** One watched bucket: the project's own (key = agent id) or a shared one (key = `<projectId>.<agentId>`). */
export interface IndexSource {
  bucket: KvBucket;
  /** Set for the project bucket, whose keys carry no project id. */
  projectId?: string;
}

type Listener = (entry: AgentEntry | null, agentId: string) => void;
/** One agent's record, updated in place so that the capability sets keep pointing at it. */
interface Current {
  entry: AgentEntry;
  lastSeenMs: number;
}
/** Online first, then busy, then offline; most recently seen first within each (lastSeen in ms stays below 1e14). */
const STATUS_RANK = { online: 0, busy: 1, offline: 2 } as const;
const orderKey = (status: AgentEntry['status'], lastSeenMs: number) => STATUS_RANK[status] * 1e14 - lastSeenMs;

const indexKey = (projectId: string, agentId: string) => `${projectId}/${agentId}`;

export class AgentIndex {
  /** index key → (bucket name → entry): an agent may be in its project bucket and in a shared one. */
  readonly #entries = new Map<string, Map<string, AgentEntry>>();
  /** The freshest copy per index key, with lastSeen parsed once (queries run over thousands of agents). */
  readonly #current = new Map<string, Current>();
  /** Capability → the records that have it: a query walks these without a map lookup per agent. */
  readonly #byCapability = new Map<string, Set<Current>>();
  readonly #listeners = new Set<Listener>();
  readonly #watches: KvWatch[] = [];
  #ready: Promise<void> | undefined;

  constructor(
    private readonly sources: () => Promise<IndexSource[]>,
    /** Entries not seen for this long are gone even if the server has not purged them yet. */
    private readonly retentionMs: number,
    private readonly log: Logger,
  ) {}

  /** Starts the watches once; resolves when every current entry is in the index. */
  ready(): Promise<void> {
    if (!this.#ready) {
      this.#ready = this.#start();
      this.#ready.catch(() => (this.#ready = undefined));
    }
    return this.#ready;
  }

  async #start(): Promise<void> {
    try {
      for (const source of await this.sources()) {
        const watch = await source.bucket.watch<unknown>((change) => this.#apply(source, change), { initial: true });
        this.#watches.push(watch);
      }
    } catch (err) {
      // The next ready() starts over: no watch may run twice.
      await Promise.all(this.#watches.splice(0).map((watch) => watch.stop().catch(() => undefined)));
      throw err;
    }
  }

  /** Applies a write this process made at once, so its own reads never lag behind the watch. */
  record(bucketName: string, entry: AgentEntry | null, projectId: string, agentId: string): void {
    this.#set(indexKey(projectId, agentId), bucketName, entry, agentId);
  }

  #apply(source: IndexSource, change: KvChange<unknown>): void {
    const [projectId, agentId] = source.projectId !== undefined ? [source.projectId, change.key] : change.key.split('.', 2);
    if (!projectId || !agentId) return;
    if (change.op === 'delete') return this.#set(indexKey(projectId, agentId), source.bucket.name, null, agentId);
    const parsed = agentEntrySchema.safeParse(change.value);
    if (!parsed.success) {
      this.log.debug({ bucket: source.bucket.name, key: change.key }, 'skipped a registry entry that does not match the schema');
      return;
    }
    this.#set(indexKey(projectId, agentId), source.bucket.name, parsed.data, agentId);
  }

  #set(key: string, bucketName: string, entry: AgentEntry | null, agentId: string): void {
    let perBucket = this.#entries.get(key);
    if (entry) {
      if (!perBucket) this.#entries.set(key, (perBucket = new Map()));
      perBucket.set(bucketName, entry);
    } else if (perBucket) {
      perBucket.delete(bucketName);
      if (perBucket.size === 0) this.#entries.delete(key);
    }
    let current = this.#current.get(key);
    for (const capability of current?.entry.capabilities ?? []) this.#byCapability.get(capability)?.delete(current!);
    const after = this.#freshest(key);
    if (!after) {
      this.#current.delete(key);
    } else {
      // Not frozen: frozen objects make a 10,000-agent query ten times slower. Readers treat entries as read-only.
      if (current) Object.assign(current, { entry: after, lastSeenMs: Date.parse(after.lastSeen) });
      else this.#current.set(key, (current = { entry: after, lastSeenMs: Date.parse(after.lastSeen) }));
      for (const capability of after.capabilities) {
        let records = this.#byCapability.get(capability);
        if (!records) this.#byCapability.set(capability, (records = new Set()));
        records.add(current);
      }
    }
    for (const listener of this.#listeners) {
      try {
        const current = this.#current.get(key);
        listener(current ? this.#effective(current.entry, current.lastSeenMs) : null, agentId);
      } catch (err) {
        this.log.error({ err }, 'a registry change listener threw');
      }
    }
  }

  /** The freshest copy of an agent across the buckets it is in. */
  #freshest(key: string): AgentEntry | undefined {
    let best: AgentEntry | undefined;
    for (const entry of this.#entries.get(key)?.values() ?? []) if (!best || entry.lastSeen > best.lastSeen) best = entry;
    return best;
  }

  /** The entry with its effective status (offline after 3 missed heartbeats); the stored object when unchanged. */
  #effective(entry: AgentEntry, lastSeenMs: number, now = Date.now()): AgentEntry {
    const status = statusAt(entry.status, lastSeenMs, entry.heartbeatMs, now);
    return status === entry.status ? entry : { ...entry, status };
  }

  /** Entries of one agent id: the given project's first, then any other project's (public or personal). */
  find(agentId: string, projectId: string): AgentEntry | null {
    const now = Date.now();
    const own = this.#current.get(indexKey(projectId, agentId));
    if (own && now - own.lastSeenMs < this.retentionMs) return this.#effective(own.entry, own.lastSeenMs, now);
    for (const [key, current] of this.#current) {
      if (key.endsWith(`/${agentId}`) && now - current.lastSeenMs < this.retentionMs) return this.#effective(current.entry, current.lastSeenMs, now);
    }
    return null;
  }

  /** Matching entries (shared with the index: read-only), effective status applied, in no particular order. */
  query(filter: DiscoverFilter = {}): AgentEntry[] {
    const out: AgentEntry[] = [];
    this.#match(filter, (entry) => out.push(entry));
    return out;
  }

  /** The first `limit` matches in discover order, and how many matched; offline agents only when asked for. */
  page(filter: DiscoverFilter, limit: number, includeOffline: boolean): DiscoverPage {
    const matches: AgentEntry[] = [];
    const keys: number[] = [];
    this.#match(filter, (entry, lastSeenMs) => {
      if (!includeOffline && entry.status === 'offline') return;
      matches.push(entry);
      keys.push(orderKey(entry.status, lastSeenMs));
    });
    return { agents: smallestKeys(keys, limit).map((i) => matches[i]!), total: matches.length };
  }

  #match(filter: DiscoverFilter, visit: (entry: AgentEntry, lastSeenMs: number) => void): void {
    const now = Date.now();
    const records = filter.capability !== undefined ? this.#byCapability.get(filter.capability) ?? [] : this.#current.values();
    for (const current of records) {
      if (now - current.lastSeenMs >= this.retentionMs) continue;
      const entry = this.#effective(current.entry, current.lastSeenMs, now);
      if (filter.agentType !== undefined && entry.agentType !== filter.agentType) continue;
      if (filter.status !== undefined && entry.status !== filter.status) continue;
      if (filter.scope !== undefined && entry.scope !== filter.scope) continue;
      if (filter.hostname !== undefined && entry.hostname !== filter.hostname) continue;
      if (filter.visibleTo && !isVisible({ scope: entry.scope, agentId: entry.id, principal: entry.principal, projectId: entry.projectId }, filter.visibleTo)) continue;
      visit(entry, current.lastSeenMs);
    }
  }

  onChange(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async stop(): Promise<void> {
    await Promise.all(this.#watches.splice(0).map((watch) => watch.stop().catch(() => undefined)));
    this.#ready = undefined;
  }
}
