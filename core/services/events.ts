// Work events on loom.<p>.events.work.<workId>: the record weft, shuttle and the dashboard follow.
import { z } from 'zod';
import { defineService } from '../services.js';

export const WORK_EVENT_TYPES = ['offered', 'claimed', 'progress', 'completed', 'failed', 'retrying', 'dead-lettered', 'retried', 'discarded', 'cancelled'] as const;

export const workEventSchema = z.object({
  type: z.enum(WORK_EVENT_TYPES),
  projectId: z.string(),
  workId: z.string(),
  capability: z.string(),
  at: z.string(),
  agentId: z.string().optional(),
  attempt: z.number().int().optional(),
  result: z.unknown().optional(),
  error: z.string().optional(),
  note: z.string().optional(),
  taskId: z.string().optional(),
  traceparent: z.string().optional(),
});
export type WorkEvent = z.infer<typeof workEventSchema>;

export interface WorkEventSubscription {
  stop(): Promise<void>;
}

export interface WorkEventsService {
  publish(event: WorkEvent): Promise<void>;
  /**
   * Delivers one project's events in order. `durable` names a consumer so a restarted follower resumes where it
   * stopped (weft, shuttle); without it, delivery starts now (or at the start with fromStart). With `concurrency`
   * above 1, events of different work ids are handled up to that many at once, each work id's still in order.
   */
  follow(options: { projectId: string; durable?: string; fromStart?: boolean; concurrency?: number }, onEvent: (event: WorkEvent) => Promise<void> | void): Promise<WorkEventSubscription>;
}

export const workEventsService = defineService<WorkEventsService>('service:work-events');
