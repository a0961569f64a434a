// The one place that builds subject, stream, consumer and bucket names: everything is derived from the projectId.
import { assertHexId, assertToken } from './tokens.js';

export type Names = ReturnType<typeof createNames>;

/** Priority bands: a work queue has one subject and one consumer per band so higher bands are claimed first. */
export const PRIORITY_BANDS = ['high', 'normal', 'low'] as const;
export type PriorityBand = (typeof PRIORITY_BANDS)[number];

export function priorityBand(priority: number): PriorityBand {
  if (priority >= 8) return 'high';
  if (priority >= 4) return 'normal';
  return 'low';
}

export function createNames(projectId: string) {
  const p = assertToken('projectId', projectId);
  const up = p.toUpperCase();
  return {
    projectId: p,
    // channels
    channelsStream: `LOOM_${up}_CHANNELS`,
    channelStream: (channel: string) => `LOOM_${up}_CH_${assertToken('channel', channel).toUpperCase()}`,
    channelSubject: (channel: string) => `loom.${p}.channels.${assertToken('channel', channel)}`,
    channelsWildcard: `loom.${p}.channels.*`,
    // direct messages
    inboxStream: `LOOM_${up}_INBOX`,
    inboxSubject: (agentId: string) => `loom.${p}.inbox.${assertHexId('agentId', agentId)}`,
    inboxWildcard: `loom.${p}.inbox.*`,
    inboxConsumer: (agentId: string) => `inbox-${assertHexId('agentId', agentId)}`,
    receiptsBucket: `loom-receipts-${p}`,
    // work
    workStream: `LOOM_${up}_WORK`,
    workSubject: (capability: string, band: PriorityBand) => `loom.${p}.work.${assertToken('capability', capability)}.${band}`,
    workWildcard: `loom.${p}.work.>`,
    workConsumer: (capability: string, band: PriorityBand) => `work-${assertToken('capability', capability)}-${band}`,
    publicWorkStream: 'LOOM_PUBLIC_WORK',
    publicWorkSubject: (capability: string, band: PriorityBand) => `loom.public.work.${assertToken('capability', capability)}.${band}`,
    publicWorkWildcard: 'loom.public.work.>',
    dlqStream: `LOOM_${up}_DLQ`,
    dlqSubject: (capability: string) => `loom.${p}.dlq.${assertToken('capability', capability)}`,
    dlqWildcard: `loom.${p}.dlq.*`,
    eventsStream: `LOOM_${up}_EVENTS`,
    workEventSubject: (workId: string) => `loom.${p}.events.work.${assertToken('workId', workId)}`,
    workEventsWildcard: `loom.${p}.events.work.*`,
    completionsBucket: `loom-completions-${p}`,
    // agents
    controlSubject: (agentId: string, verb: string) => `loom.${p}.control.${assertHexId('agentId', agentId)}.${assertToken('verb', verb)}`,
    registryBucket: `loom-registry-${p}`,
    publicRegistryBucket: 'loom-registry-public',
    personalRegistryBucket: (principalHash: string) => `loom-registry-personal-${assertHexId('principalHash', principalHash)}`,
    identityBucket: `loom-identity-${p}`,
    // memory
    memoryBucket: (scope: 'private' | 'team') => `pattern-${p}-${scope}`,
    publicMemoryBucket: 'pattern-public',
    personalMemoryBucket: (principalHash: string) => `pattern-personal-${assertHexId('principalHash', principalHash)}`,
    // orchestration and coordination
    orchestrationsBucket: `shuttle-${p}-orchestrations`,
    checkpointsBucket: `shuttle-${p}-checkpoints`,
    weftTargetsBucket: `weft-${p}-targets`,
    weftWorkBucket: `weft-${p}-work`,
    weftAssignmentsBucket: `weft-${p}-assignments`,
    coordSubject: (area: string, verb: string) => `coord.${p}.${assertToken('area', area)}.${assertToken('verb', verb)}`,
  };
}

/** Subjects that span projects; only the coordinator listens on them. */
export const globalNames = {
  coordStats: 'coord.global.stats',
  coordProjects: 'coord.global.projects',
  coordWildcard: 'coord.*.>',
  weftLeaseBucket: 'weft-global-lease',
};
