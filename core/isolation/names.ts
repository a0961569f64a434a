// The one place that builds subject, stream, consumer and bucket names: everything is derived from the projectId.
import { LoomError } from '../errors.js';
import { assertHexId, assertToken, TOKEN_PATTERN } from './tokens.js';

export type Names = ReturnType<typeof createNames>;

/**
 * createNames builds some sixty strings and checks the id: a hot path that names a project per message (every claim,
 * every work event) looks it up here instead. Bounded, because project ids come from messages.
 */
export function createNamesCache(limit = 1000): (projectId: string) => Names {
  const cache = new Map<string, Names>();
  return (projectId) => {
    let found = cache.get(projectId);
    if (!found) {
      found = createNames(projectId);
      if (cache.size >= limit) cache.clear();
      cache.set(projectId, found);
    }
    return found;
  };
}

/**
 * One subject and one durable consumer per priority level (10 first): JetStream has no priority queue, so a claim
 * tries the levels in order. Ten levels per capability keep the stream count constant and the consumer count bounded.
 */
export const PRIORITY_LEVELS = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1] as const;
export type PriorityLevel = (typeof PRIORITY_LEVELS)[number];

/** The level of a priority, clamped to 1-10 and rounded (offers are validated before this): its subject and consumer token. */
export function priorityLevel(priority: number): PriorityLevel {
  return Math.min(10, Math.max(1, Math.round(priority))) as PriorityLevel;
}

/** Tokens that stand for every project in subjects and names (coord.global.*, loom.public.work.*, LOOM_PUBLIC_WORK). */
export const RESERVED_PROJECT_IDS: readonly string[] = ['global', 'public'];

/** Returns the projectId, or throws LOOM_ERR_INVALID_NAME (field projectId) for a non-token or a reserved one. */
export function assertProjectId(value: unknown): string {
  const p = assertToken('projectId', value);
  if (RESERVED_PROJECT_IDS.includes(p)) {
    throw new LoomError('LOOM_ERR_INVALID_NAME', `projectId "${p}" is reserved: ${RESERVED_PROJECT_IDS.join(' and ')} name what spans projects (coord.global.*, loom.public.work.*); choose another projectId`, { field: 'projectId' });
  }
  return p;
}

export function createNames(projectId: string) {
  const p = assertProjectId(projectId);
  const up = p.toUpperCase();
  return {
    projectId: p,
    /** Every subject of the project under loom.<p>: what weft, which coordinates the project, may use. */
    projectWildcard: `loom.${p}.>`,
    // channels
    channelsStream: `LOOM_${up}_CHANNELS`,
    /**
     * "~" cannot appear in a token, so the name has one reading. With "_", project x_ch_foo's LOOM_X_CH_FOO_CHANNELS
     * would also be project x's channel foo_channels, and project x_ch_a's channel b project x's channel a_ch_b.
     */
    channelStream: (channel: string) => `LOOM_${up}_CH~${assertToken('channel', channel).toUpperCase()}`,
    channelSubject: (channel: string) => `loom.${p}.channels.${assertToken('channel', channel)}`,
    channelsWildcard: `loom.${p}.channels.*`,
    // direct messages
    inboxStream: `LOOM_${up}_INBOX`,
    /** The sender is a subject token so `loom auth` can let each agent publish only as itself (loom.<p>.inbox.*.<ownId>). */
    inboxSubject: (recipientId: string, senderId: string) => `loom.${p}.inbox.${assertHexId('recipientId', recipientId)}.${assertHexId('senderId', senderId)}`,
    /** Everything sent to one agent, from any sender: its durable's and its reads' filter. */
    inboxRecipientWildcard: (recipientId: string) => `loom.${p}.inbox.${assertHexId('recipientId', recipientId)}.*`,
    /** Everything one agent sends, to anyone: the only inbox subjects `loom auth` lets it publish on. */
    inboxSenderWildcard: (senderId: string) => `loom.${p}.inbox.*.${assertHexId('senderId', senderId)}`,
    inboxWildcard: `loom.${p}.inbox.*.*`,
    inboxConsumer: (agentId: string) => `inbox-${assertHexId('agentId', agentId)}`,
    receiptsBucket: `loom-receipts-${p}`,
    // work
    workStream: `LOOM_${up}_WORK`,
    workSubject: (capability: string, level: PriorityLevel) => `loom.${p}.work.${assertToken('capability', capability)}.${level}`,
    workWildcard: `loom.${p}.work.>`,
    /** An offer's subject for any capability and level: what `loom auth` lets every agent publish work on. */
    workOffersWildcard: `loom.${p}.work.*.*`,
    workConsumer: (capability: string, level: PriorityLevel) => `work-${assertToken('capability', capability)}-${level}`,
    publicWorkStream: 'LOOM_PUBLIC_WORK',
    publicWorkSubject: (capability: string, level: PriorityLevel) => `loom.public.work.${assertToken('capability', capability)}.${level}`,
    publicWorkWildcard: 'loom.public.work.>',
    publicWorkOffersWildcard: 'loom.public.work.*.*',
    dlqStream: `LOOM_${up}_DLQ`,
    dlqSubject: (capability: string) => `loom.${p}.dlq.${assertToken('capability', capability)}`,
    dlqWildcard: `loom.${p}.dlq.*`,
    eventsStream: `LOOM_${up}_EVENTS`,
    workEventSubject: (workId: string) => `loom.${p}.events.work.${assertToken('workId', workId)}`,
    workEventsWildcard: `loom.${p}.events.work.*`,
    completionsBucket: `loom-completions-${p}`,
    /** Per work id: the errors of every attempt and the current holder (a nak cannot change the message body). */
    workHistoryBucket: `loom-work-history-${p}`,
    /** Every priority of one capability: what a waiting claimer listens on to wake when an offer arrives. */
    workCapabilityWildcard: (capability: string) => `loom.${p}.work.${assertToken('capability', capability)}.*`,
    publicWorkCapabilityWildcard: (capability: string) => `loom.public.work.${assertToken('capability', capability)}.*`,
    /** A durable follower of the work events (weft, shuttle), so a restart resumes where it stopped. */
    workEventsConsumer: (durable: string) => `events-${assertToken('durable', durable)}`,
    // agents
    controlSubject: (agentId: string, verb: string) => `loom.${p}.control.${assertHexId('agentId', agentId)}.${assertToken('verb', verb)}`,
    /** Every control request to one agent (shutdown, …): what its processes listen on. */
    controlWildcard: (agentId: string) => `loom.${p}.control.${assertHexId('agentId', agentId)}.>`,
    registryBucket: `loom-registry-${p}`,
    publicRegistryBucket: 'loom-registry-public',
    personalRegistryBucket: (principalHash: string) => `loom-registry-personal-${assertHexId('principalHash', principalHash)}`,
    identityBucket: `loom-identity-${p}`,
    /** Each agent's Ed25519 public key (key = agentId), written only by `loom auth --provision`; readers verify channel senders with it. */
    signingKeysBucket: `loom-keys-${p}`,
    // memory
    memoryBucket: (scope: 'private' | 'team') => `pattern-${p}-${scope}`,
    publicMemoryBucket: 'pattern-public',
    personalMemoryBucket: (principalHash: string) => `pattern-personal-${assertHexId('principalHash', principalHash)}`,
    /** Key of a memory: `<category>.<memoryId>`, or `<agentId>.<category>.<memoryId>` in the private bucket. */
    memoryKey: (category: string, memoryId: string, agentId?: string) =>
      `${agentId === undefined ? '' : `${assertHexId('agentId', agentId)}.`}${assertToken('category', category)}.${assertHexId('memoryId', memoryId)}`,
    /** Prefix of one agent's keys in the private memory bucket. */
    memoryAgentPrefix: (agentId: string) => `${assertHexId('agentId', agentId)}.`,
    // orchestration and coordination
    orchestrationsBucket: `shuttle-${p}-orchestrations`,
    checkpointsBucket: `shuttle-${p}-checkpoints`,
    weftTargetsBucket: `weft-${p}-targets`,
    weftWorkBucket: `weft-${p}-work`,
    weftAssignmentsBucket: `weft-${p}-assignments`,
    /** Spin-up attempts and needs (keys attempt.<operationId>, need.<workId>, last.<targetId>). */
    weftSpinUpsBucket: `weft-${p}-spinups`,
    /** Agents weft started and has not torn down yet (key = agent id): capacity, idle scale-down, restart safety. */
    weftSpawnedBucket: `weft-${p}-spawned`,
    coordSubject: (area: string, verb: string) => `coord.${p}.${assertToken('area', area)}.${assertToken('verb', verb)}`,
    /** Every weft operation on the project. */
    coordProjectWildcard: `coord.${p}.>`,
    /** weft's durable consumer on the events stream: a restarted (or newly elected) weft resumes where the last stopped. */
    weftEventsDurable: 'weft-tracker',
  };
}

const PROJECT_STREAM = /^LOOM_([A-Z0-9][A-Z0-9_-]{0,63})_(WORK|EVENTS|DLQ|INBOX|CHANNELS)$/;
const WEFT_STREAM = /^KV_weft-([a-z0-9][a-z0-9_-]{0,63})-(work|assignments|targets)$/;

export type ProjectStreamKind = 'work' | 'events' | 'dlq' | 'inbox' | 'channels' | 'weft';

/** Which project a stream (or KV-bucket stream) belongs to and what it holds, for weft's discovery; else undefined. */
export function projectStreamOf(stream: string): { projectId: string; kind: ProjectStreamKind } | undefined {
  const loom = PROJECT_STREAM.exec(stream);
  const weft = loom ? undefined : WEFT_STREAM.exec(stream);
  const id = loom?.[1]?.toLowerCase() ?? weft?.[1];
  if (!id || id === 'public' || id === 'global' || !TOKEN_PATTERN.test(id)) return undefined;
  return { projectId: id, kind: loom ? (loom[2]!.toLowerCase() as ProjectStreamKind) : 'weft' };
}

/** The projectId a stream or KV-bucket stream belongs to (for weft's discovery of projects), or undefined. */
export function projectIdFromStreamName(stream: string): string | undefined {
  return projectStreamOf(stream)?.projectId;
}

/** Subjects that span projects; only the coordinator listens on them. */
export const globalNames = {
  coordStats: 'coord.global.stats',
  coordProjects: 'coord.global.projects',
  coordWildcard: 'coord.*.>',
  /** A weft operation that spans projects: coord.global.<verb>. */
  coordGlobalSubject: (verb: string) => `coord.global.${assertToken('verb', verb)}`,
  coordGlobalWildcard: 'coord.global.>',
  weftLeaseBucket: 'weft-global-lease',
  /** The key in weftLeaseBucket that the acting weft instance holds. */
  weftLeaseKey: 'leader',
  /** Projects that have agents weft started (key = projectId), so a restarted weft finds them for idle scale-down. */
  weftSpinUpProjectsBucket: 'weft-global-spinup-projects',
  /** Queue group of weft's NATS API: one answer per request even while two instances overlap. */
  weftQueueGroup: 'weft',
};
