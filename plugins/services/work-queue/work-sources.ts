// Where a claimer looks, in order: each priority (10 first), each capability, the project queue before the public one.
import { PRIORITY_LEVELS, priorityLevel, type Names, type PriorityLevel, type WorkMessage } from '../../../core/index.js';

export interface WorkSource {
  stream: string;
  consumer: string;
  subject: string;
  /** The subscription that sees offers to this priority (every priority of its capability). */
  wake: string;
}

export function projectSource(names: Names, capability: string, level: PriorityLevel): WorkSource {
  return { stream: names.workStream, consumer: names.workConsumer(capability, level), subject: names.workSubject(capability, level), wake: names.workCapabilityWildcard(capability) };
}

export function publicSource(names: Names, capability: string, level: PriorityLevel): WorkSource {
  return { stream: names.publicWorkStream, consumer: names.workConsumer(capability, level), subject: names.publicWorkSubject(capability, level), wake: names.publicWorkCapabilityWildcard(capability) };
}

export function claimOrder(names: Names, capabilities: readonly string[], includePublic: boolean): WorkSource[] {
  return PRIORITY_LEVELS.flatMap((level) =>
    capabilities.flatMap((capability) => [projectSource(names, capability, level), ...(includePublic ? [publicSource(names, capability, level)] : [])]),
  );
}

/** The queue a message belongs on: its project's, or the shared public one. */
export function sourceOf(names: Names, message: Pick<WorkMessage, 'capability' | 'priority' | 'scope'>): WorkSource {
  const level = priorityLevel(message.priority);
  return message.scope === 'public' ? publicSource(names, message.capability, level) : projectSource(names, message.capability, level);
}
