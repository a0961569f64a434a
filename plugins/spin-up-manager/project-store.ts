// One project's spin-up state: attempts, needs and cooldowns (weft-<p>-spinups), started agents (weft-<p>-spawned).
import { createNames, isLoomError, type KvBucket, type SpawnedAgent, type SpinUpAttempt, type SpinUpTarget } from '../../core/index.js';
import { keys, type NeedRecord } from './records.js';

export interface ProjectStore {
  readonly projectId: string;
  recordAttempt(attempt: SpinUpAttempt): Promise<void>;
  updateAttempt(operationId: string, patch: Partial<SpinUpAttempt>): Promise<void>;
  /** Every recorded attempt, oldest first (reads KV: for the API, not the check loop). */
  attempts(): Promise<SpinUpAttempt[]>;
  attempt(operationId: string): Promise<SpinUpAttempt | undefined>;
  /** Creates the need record; false when one exists already (another request, or before a restart, handled it). */
  claimNeed(need: NeedRecord): Promise<boolean>;
  need(workId: string): Promise<NeedRecord | undefined>;
  saveNeed(need: NeedRecord): Promise<void>;
  /** Needs not settled yet (pending or deferred), oldest first: found through their index, never by a scan. */
  openNeeds(): Promise<NeedRecord[]>;
  lastStart(targetId: string): Promise<{ at: string; operationId: string } | undefined>;
  setLastStart(targetId: string, operationId: string, at: string): Promise<void>;
  /** Forgets the cooldown mark if it is still the one this operation set (a start that never happened). */
  clearLastStart(targetId: string, operationId: string): Promise<void>;
  spawned(): Promise<SpawnedAgent[]>;
  spawnedAgent(agentId: string): Promise<SpawnedAgent | undefined>;
  putSpawned(agent: SpawnedAgent): Promise<void>;
  /** Applies a change to the latest version of a record (the start path and the check loop both change records). */
  updateSpawned(agentId: string, change: (current: SpawnedAgent) => SpawnedAgent): Promise<void>;
  removeSpawned(agentId: string): Promise<void>;
  /** A target as weft stores it (KV weft-<p>-targets), or undefined once deleted. */
  target(targetId: string): Promise<SpinUpTarget | undefined>;
  /** Every target of the project (read each time: targets change under a running weft). */
  targets(): Promise<SpinUpTarget[]>;
  reload(): void;
}

export interface BucketOpeners {
  /** For writes: creates the bucket when it is missing. */
  open(name: string, ttlMs?: number): Promise<KvBucket>;
  /** For reads: undefined when the bucket does not exist (nothing was ever written). */
  existing(name: string, ttlMs?: number): Promise<KvBucket | undefined>;
}

function cached<T>(load: () => Promise<T>) {
  let value: Promise<T> | undefined;
  return {
    get() {
      value ??= load();
      value.catch(() => (value = undefined));
      return value;
    },
    reset: () => void (value = undefined),
  };
}

export function createProjectStore(projectId: string, buckets: BucketOpeners, historyTtlMs: number, remember: (projectId: string) => Promise<void>): ProjectStore {
  const names = createNames(projectId);
  const history = () => buckets.open(names.weftSpinUpsBucket, historyTtlMs);
  const readHistory = () => buckets.existing(names.weftSpinUpsBucket, historyTtlMs);
  const spawnedBucket = () => buckets.open(names.weftSpawnedBucket);
  const spawned = cached(async () => new Map(((await (await buckets.existing(names.weftSpawnedBucket))?.list<SpawnedAgent>()) ?? []).map((entry) => [entry.key, entry.value] as const)));
  // The open-needs index: work ids of needs that are pending or deferred (the key prefix predates pending ones in it).
  const open = cached(async () => new Set(((await (await readHistory())?.keys(keys.deferredPrefix)) ?? []).map((key) => key.slice(keys.deferredPrefix.length))));

  return {
    projectId: names.projectId,
    async recordAttempt(attempt) {
      await (await history()).put(keys.attempt(attempt.operationId), attempt);
    },
    async updateAttempt(operationId, patch) {
      const b = await readHistory();
      const entry = await b?.get<SpinUpAttempt>(keys.attempt(operationId));
      if (b && entry) await b.put(keys.attempt(operationId), { ...entry.value, ...patch });
    },
    async attempts() {
      return ((await (await readHistory())?.list<SpinUpAttempt>(keys.attempts)) ?? []).map((entry) => entry.value);
    },
    async attempt(operationId) {
      return (await (await readHistory())?.get<SpinUpAttempt>(keys.attempt(operationId)))?.value;
    },
    async claimNeed(need) {
      const b = await history();
      const waiting = await open.get();
      try {
        await b.create(keys.need(need.workId), need);
      } catch (err) {
        if (isLoomError(err, 'LOOM_ERR_CONFLICT')) return false;
        throw err;
      }
      // Indexed while pending too: a weft that dies mid-request leaves it where the next acting one looks.
      waiting.add(need.workId);
      await b.put(keys.deferred(need.workId), { workId: need.workId });
      await remember(names.projectId);
      return true;
    },
    async need(workId) {
      return (await (await readHistory())?.get<NeedRecord>(keys.need(workId)))?.value;
    },
    async saveNeed(need) {
      const b = await history();
      const waiting = await open.get();
      await b.put(keys.need(need.workId), need);
      if (need.state === 'deferred' || need.state === 'pending') {
        if (!waiting.has(need.workId)) await b.put(keys.deferred(need.workId), { workId: need.workId });
        waiting.add(need.workId);
        await remember(names.projectId);
      } else if (waiting.delete(need.workId)) await b.delete(keys.deferred(need.workId));
    },
    async openNeeds() {
      const waiting = [...(await open.get())];
      const b = waiting.length ? await readHistory() : undefined;
      if (!b) return [];
      const needs = await Promise.all(waiting.map(async (workId) => (await b.get<NeedRecord>(keys.need(workId)))?.value));
      return needs.filter((need): need is NeedRecord => need?.state === 'deferred' || need?.state === 'pending').sort((a, c) => a.createdAt.localeCompare(c.createdAt));
    },
    async lastStart(targetId) {
      return (await (await readHistory())?.get<{ at: string; operationId: string }>(keys.last(targetId)))?.value;
    },
    async setLastStart(targetId, operationId, at) {
      await (await history()).put(keys.last(targetId), { at, operationId });
    },
    async clearLastStart(targetId, operationId) {
      const b = await readHistory();
      const entry = await b?.get<{ at: string; operationId: string }>(keys.last(targetId));
      if (b && entry?.value.operationId === operationId) await b.delete(keys.last(targetId));
    },
    async spawned() {
      return [...(await spawned.get()).values()];
    },
    async spawnedAgent(agentId) {
      return (await spawned.get()).get(agentId);
    },
    async putSpawned(agent) {
      const map = await spawned.get();
      map.set(agent.agentId, agent);
      await (await spawnedBucket()).put(agent.agentId, agent);
      await remember(names.projectId);
    },
    async updateSpawned(agentId, change) {
      const map = await spawned.get();
      const current = map.get(agentId);
      if (!current) return;
      // Changed in memory first and synchronously, so two changers always build on each other's result.
      const next = change(current);
      map.set(agentId, next);
      await (await spawnedBucket()).put(agentId, next);
    },
    async removeSpawned(agentId) {
      (await spawned.get()).delete(agentId);
      await (await spawnedBucket()).delete(agentId);
    },
    async target(targetId) {
      return (await (await buckets.existing(names.weftTargetsBucket))?.get<SpinUpTarget>(targetId))?.value;
    },
    async targets() {
      return ((await (await buckets.existing(names.weftTargetsBucket))?.list<SpinUpTarget>()) ?? []).map((entry) => entry.value);
    },
    reload() {
      spawned.reset();
      open.reset();
    },
  };
}
