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
  deferredNeeds(): Promise<NeedRecord[]>;
  lastStart(targetId: string): Promise<{ at: string; operationId: string } | undefined>;
  setLastStart(targetId: string, operationId: string, at: string): Promise<void>;
  spawned(): Promise<SpawnedAgent[]>;
  spawnedAgent(agentId: string): Promise<SpawnedAgent | undefined>;
  putSpawned(agent: SpawnedAgent): Promise<void>;
  /** Applies a change to the latest version of a record (the start path and the check loop both change records). */
  updateSpawned(agentId: string, change: (current: SpawnedAgent) => SpawnedAgent): Promise<void>;
  removeSpawned(agentId: string): Promise<void>;
  /** A target as weft stores it (KV weft-<p>-targets), or undefined once deleted. */
  target(targetId: string): Promise<SpinUpTarget | undefined>;
  reload(): void;
}

type OpenBucket = (name: string, ttlMs?: number) => Promise<KvBucket>;

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

export function createProjectStore(projectId: string, bucket: OpenBucket, historyTtlMs: number, remember: (projectId: string) => Promise<void>): ProjectStore {
  const names = createNames(projectId);
  const history = () => bucket(names.weftSpinUpsBucket, historyTtlMs);
  const spawnedBucket = () => bucket(names.weftSpawnedBucket);
  const spawned = cached(async () => new Map((await (await spawnedBucket()).list<SpawnedAgent>()).map((entry) => [entry.key, entry.value] as const)));
  const deferred = cached(async () => new Set((await (await history()).keys(keys.deferredPrefix)).map((key) => key.slice(keys.deferredPrefix.length))));

  return {
    projectId: names.projectId,
    async recordAttempt(attempt) {
      await (await history()).put(keys.attempt(attempt.operationId), attempt);
    },
    async updateAttempt(operationId, patch) {
      const b = await history();
      const entry = await b.get<SpinUpAttempt>(keys.attempt(operationId));
      if (entry) await b.put(keys.attempt(operationId), { ...entry.value, ...patch });
    },
    async attempts() {
      return (await (await history()).list<SpinUpAttempt>(keys.attempts)).map((entry) => entry.value);
    },
    async attempt(operationId) {
      return (await (await history()).get<SpinUpAttempt>(keys.attempt(operationId)))?.value;
    },
    async claimNeed(need) {
      try {
        await (await history()).create(keys.need(need.workId), need);
        return true;
      } catch (err) {
        if (isLoomError(err, 'LOOM_ERR_CONFLICT')) return false;
        throw err;
      }
    },
    async need(workId) {
      return (await (await history()).get<NeedRecord>(keys.need(workId)))?.value;
    },
    async saveNeed(need) {
      const b = await history();
      const waiting = await deferred.get();
      await b.put(keys.need(need.workId), need);
      if (need.state === 'deferred') {
        waiting.add(need.workId);
        await b.put(keys.deferred(need.workId), { workId: need.workId });
      } else if (waiting.delete(need.workId)) await b.delete(keys.deferred(need.workId));
    },
    async deferredNeeds() {
      const b = await history();
      const needs = await Promise.all([...(await deferred.get())].map(async (workId) => (await b.get<NeedRecord>(keys.need(workId)))?.value));
      return needs.filter((need): need is NeedRecord => need?.state === 'deferred').sort((a, c) => a.createdAt.localeCompare(c.createdAt));
    },
    async lastStart(targetId) {
      return (await (await history()).get<{ at: string; operationId: string }>(keys.last(targetId)))?.value;
    },
    async setLastStart(targetId, operationId, at) {
      await (await history()).put(keys.last(targetId), { at, operationId });
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
      return (await (await bucket(names.weftTargetsBucket)).get<SpinUpTarget>(targetId))?.value;
    },
    reload() {
      spawned.reset();
      deferred.reset();
    },
  };
}
