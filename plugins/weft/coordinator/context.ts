// What weft's operations and loops share: options, projects, the router, leadership and the events they emit.
import type { PluginContext, ProjectWorkQueue, WorkEventsService } from '../../../core/index.js';
import type { CoordinatorOptions } from './options.js';
import type { Projects } from './projects.js';
import type { Router } from './router.js';
import type { WorkState } from '../schemas/work.js';

export interface Coordinator {
  readonly ctx: PluginContext<CoordinatorOptions>;
  readonly options: CoordinatorOptions;
  readonly instanceId: string;
  readonly projects: Projects;
  readonly router: Router;
  isLeader(): boolean;
  workEvents(): WorkEventsService;
  /** Reports a state change to the workStateChange hook (metrics, tracing, plugins). */
  stateChanged(change: { projectId: string; workId: string; state: WorkState; previous?: WorkState; agentId?: string }): Promise<void>;
  /** Background work (spin-up requests) the coordinator waits for when it stops. */
  track(promise: Promise<unknown>): void;
}

/** Marks a work id cancelled in the queue when the work-queue service can (an optional member of its interface). */
export async function cancelInQueue(queue: ProjectWorkQueue, workId: string): Promise<boolean> {
  return queue.cancel ? (await queue.cancel(workId)).removed : false;
}
