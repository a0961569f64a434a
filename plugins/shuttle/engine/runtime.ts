// What the shuttle tools and background loops share: options, project, the store, the NATS link and the services.
import type { Classifier, Decomposer, Logger, NatsService, Names, ProjectRegistry, ProjectWorkQueue, Registry, WorkEventsService } from '../../../core/index.js';
import type { ShuttleOptions } from '../options.js';
import type { WorkFiles } from '../store/files.js';
import type { Link } from '../store/link.js';
import type { OrchestrationStore } from '../store/store.js';

export interface ShuttleDeps {
  options: ShuttleOptions;
  projectId: string;
  /** This process's agent id: who offers the work items. */
  agentId: string;
  names: Names;
  log: Logger;
  files: WorkFiles;
  store: OrchestrationStore;
  link: Link;
  nats: NatsService;
  queue(): ProjectWorkQueue;
  events(): WorkEventsService;
  /** Undefined when no registry service is loaded (no spin-up checks then). */
  registry(): ProjectRegistry | undefined;
  classifiers: Registry<Classifier>;
  decomposers: Registry<Decomposer>;
  /** Background work (spin-up requests) that stop() waits for. */
  track(work: Promise<unknown>): void;
}

export interface ShuttleRuntime extends ShuttleDeps {
  /** Offers every subtask whose dependencies have results; returns what went out and what waits for NATS. */
  advance(orchestrationId: string): Promise<{ offered: string[]; pending: string[] }>;
  /** Picks up results and completions that arrived without an event (or while this process was down), then advances. */
  reconcile(orchestrationId: string): Promise<void>;
  /** Asks the retry loop to run soon (after a degraded write). */
  kick(): void;
}
