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

/** One capability's levels on one stream: they share a wake subject, which also filters a stream info to them. */
export interface SourceGroup {
  stream: string;
  wake: string;
  sources: WorkSource[];
}

/** What one claim looks at: its sources in order, and the same sources by capability and stream. */
export interface ClaimPlan {
  sources: WorkSource[];
  groups: SourceGroup[];
}

// A worker claims the same capabilities in a loop: its plan (ten levels' names, each checked) is built once.
const plans = new WeakMap<Names, Map<string, ClaimPlan>>();

export function claimPlan(names: Names, capabilities: readonly string[], includePublic: boolean): ClaimPlan {
  let byKey = plans.get(names);
  if (!byKey) plans.set(names, (byKey = new Map()));
  const key = `${includePublic ? '+' : '-'}${capabilities.join(' ')}`;
  let plan = byKey.get(key);
  if (!plan) {
    if (byKey.size >= 100) byKey.clear();
    const sources = PRIORITY_LEVELS.flatMap((level) =>
      capabilities.flatMap((capability) => [projectSource(names, capability, level), ...(includePublic ? [publicSource(names, capability, level)] : [])]),
    );
    const groups = new Map<string, SourceGroup>();
    for (const source of sources) {
      let group = groups.get(source.wake);
      if (!group) groups.set(source.wake, (group = { stream: source.stream, wake: source.wake, sources: [] }));
      group.sources.push(source);
    }
    byKey.set(key, (plan = { sources, groups: [...groups.values()] }));
  }
  return plan;
}

/** The queue a message belongs on: its project's, or the shared public one. */
export function sourceOf(names: Names, message: Pick<WorkMessage, 'capability' | 'priority' | 'scope'>): WorkSource {
  const level = priorityLevel(message.priority);
  return message.scope === 'public' ? publicSource(names, message.capability, level) : projectSource(names, message.capability, level);
}
