// What the manager's parts share: options, stores, the per-target serializer and the services it calls.
import type { PluginContext, ProjectRegistry, ProjectWorkQueue } from '../../core/index.js';
import type { ManagerOptions } from './options.js';
import type { Stores } from './store.js';

export interface Manager {
  readonly ctx: PluginContext<ManagerOptions>;
  readonly options: ManagerOptions;
  readonly stores: Stores;
  /** One target's checks and start run one at a time (key: project/target). */
  serial<T>(key: string, task: () => Promise<T>): Promise<T>;
  /** Aborted when the kernel stops: starts in flight are abandoned. */
  readonly stopping: AbortSignal;
  natsUrl(): string | undefined;
  registry(projectId: string): ProjectRegistry;
  queue(projectId: string): ProjectWorkQueue;
  /** Remembers a project that has spin-up state, for the background loop. */
  touch(projectId: string): void;
  /**
   * What this process is doing right now, and loses when it dies: starts by operation id (until start() settles, late
   * ones included) and requests by work id. A pending need or starting record not in here is no one's once it is old.
   */
  readonly inFlight: { starts: Set<string>; needs: Set<string> };
}

/** Why a spin-up is wanted: a need's work item, or a manual request. */
export interface SpinUpCause {
  projectId: string;
  reason: string;
  workId?: string;
  capability?: string;
}
