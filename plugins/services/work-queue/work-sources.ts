// Where a claimer looks, in order: each priority (10 first), each capability, the project queue before the public one.
import { PRIORITY_BANDS, priorityBand, type Names, type PriorityBand, type WorkMessage } from '../../../core/index.js';

export interface WorkSource {
  stream: string;
  consumer: string;
  subject: string;
  /** The subscription that sees offers to this priority (every priority of its capability). */
  wake: string;
}

export function projectSource(names: Names, capability: string, band: PriorityBand): WorkSource {
  return { stream: names.workStream, consumer: names.workConsumer(capability, band), subject: names.workSubject(capability, band), wake: names.workCapabilityWildcard(capability) };
}

export function publicSource(names: Names, capability: string, band: PriorityBand): WorkSource {
  return { stream: names.publicWorkStream, consumer: names.workConsumer(capability, band), subject: names.publicWorkSubject(capability, band), wake: names.publicWorkCapabilityWildcard(capability) };
}

export function claimOrder(names: Names, capabilities: readonly string[], includePublic: boolean): WorkSource[] {
  return PRIORITY_BANDS.flatMap((band) =>
    capabilities.flatMap((capability) => [projectSource(names, capability, band), ...(includePublic ? [publicSource(names, capability, band)] : [])]),
  );
}

/** The queue a message belongs on: its project's, or the shared public one. */
export function sourceOf(names: Names, message: Pick<WorkMessage, 'capability' | 'priority' | 'scope'>): WorkSource {
  const band = priorityBand(message.priority);
  return message.scope === 'public' ? publicSource(names, message.capability, band) : projectSource(names, message.capability, band);
}
