// What each `loom auth` user may publish and subscribe to: only its own inbox, its project's channels and work, and
// the exact JetStream API calls its services make (never $JS.API.> wholesale). Names come from core/isolation (names, jetstream-names).
import { ackWildcard, createNames, flowControlWildcard, globalNames, jsApiSubject as api, kvKeySubject, kvStreamName, PRIORITY_LEVELS, replyInboxPrefix, type Names } from '../../core/index.js';
import type { AgentSpec } from './spec.js';
import { principalHash } from './spec.js';

export interface Permissions {
  publish: { allow: string[]; deny: string[] };
  subscribe: { allow: string[]; deny: string[] };
  /** Lets the user answer requests it received (an agent's shutdown handler replies to weft). */
  allowResponses: boolean;
}

/** Reading a KV bucket, for keys matching `keys` (a NATS subject pattern under $KV.<bucket>.). */
function kvRead(bucket: string, keys: string | string[] = '>'): string[] {
  const stream = kvStreamName(bucket);
  const patterns = Array.isArray(keys) ? keys : [keys];
  return [
    api('STREAM', 'INFO', stream),
    // Gets by key carry the key in the subject (allow_direct buckets), so they can be limited to `keys`.
    ...patterns.map((k) => api('DIRECT', 'GET', stream, kvKeySubject(bucket, k))),
    // Watches and key listings are ordered consumers whose filter is in the create subject.
    ...patterns.filter((k) => k.endsWith('>')).map((k) => api('CONSUMER', 'CREATE', stream, '*', kvKeySubject(bucket, k))),
    api('CONSUMER', 'INFO', stream, '*'),
    api('CONSUMER', 'MSG', 'NEXT', stream, '*'),
    api('CONSUMER', 'DELETE', stream, '*'),
    flowControlWildcard(stream),
  ];
}

const kvWrite = (bucket: string, keys: string | string[] = '>') => (Array.isArray(keys) ? keys : [keys]).map((k) => kvKeySubject(bucket, k));

/** Reading a stream's history by sequence through named ephemeral consumers filtered to `filter`. */
function scan(stream: string, filter: string): string[] {
  return [api('STREAM', 'INFO', stream), api('CONSUMER', 'CREATE', stream, '*', filter), api('CONSUMER', 'MSG', 'NEXT', stream, '*'), api('CONSUMER', 'DELETE', stream, '*')];
}

/** Claiming one capability: its per-level durables on a work stream, their acks, and the wake-up subjects. */
function claims(stream: string, subjectOf: (capability: string, level: (typeof PRIORITY_LEVELS)[number]) => string, consumerOf: (capability: string, level: (typeof PRIORITY_LEVELS)[number]) => string, capability: string) {
  const publish: string[] = [];
  for (const level of PRIORITY_LEVELS) {
    const consumer = consumerOf(capability, level);
    publish.push(
      api('CONSUMER', 'INFO', stream, consumer),
      api('CONSUMER', 'CREATE', stream, consumer, subjectOf(capability, level)),
      api('CONSUMER', 'MSG', 'NEXT', stream, consumer),
      ackWildcard(stream, consumer),
    );
  }
  return publish;
}

/** The weft operations (area, verb) an agent's processes request over NATS: shuttle's spin-up (plugins/shuttle/engine/spin-up.ts). */
export const AGENT_COORD_REQUESTS: ReadonlyArray<readonly [string, string]> = [
  ['targets', 'list'],
  ['targets', 'spin-up'],
];

export interface AgentGrant {
  user: string;
  agent: Pick<AgentSpec, 'id' | 'principal' | 'capabilities'>;
  /** Every other agent of the project: their inbox durables are named in deny rules. */
  others: ReadonlyArray<Pick<AgentSpec, 'id'>>;
  channels: readonly string[];
}

/** An agent's processes (warp, pattern, shuttle, loom agent) on one project. */
export function agentPermissions(projectId: string, grant: AgentGrant): Permissions {
  const n: Names = createNames(projectId);
  const a = grant.agent.id;
  const h = principalHash(grant.agent.principal);
  const p = n.projectId;
  const publish = [
    api('INFO'),
    // channels: team data
    ...grant.channels.map((c) => n.channelSubject(c)),
    ...scan(n.channelsStream, n.channelsWildcard),
    api('STREAM', 'MSG', 'GET', n.channelsStream),
    // direct messages: to anyone's inbox but only as itself (the sender is the last subject token, which readers
    // trust); only its own inbox to read, follow and ack
    n.inboxSenderWildcard(a),
    ...scan(n.inboxStream, n.inboxRecipientWildcard(a)),
    api('CONSUMER', 'INFO', n.inboxStream, n.inboxConsumer(a)),
    ackWildcard(n.inboxStream, n.inboxConsumer(a)),
    // receipts: its own sender records and read state; everyone's seen records are readable (a sender looks up the
    // one of the recipient it recorded) but each agent writes only its own
    ...kvRead(n.receiptsBucket, [`msg.${a}.*`, 'seen.*.*', `cursor.${a}`]),
    ...kvWrite(n.receiptsBucket, [`msg.${a}.*`, `seen.${a}.*`, `cursor.${a}`]),
    // registry and identity: everyone's entries readable, only its own writable
    ...kvRead(n.registryBucket),
    ...kvWrite(n.registryBucket, a),
    ...kvRead(n.publicRegistryBucket),
    ...kvWrite(n.publicRegistryBucket, `${p}.${a}`),
    ...kvRead(n.personalRegistryBucket(h)),
    ...kvWrite(n.personalRegistryBucket(h), `${p}.${a}`),
    ...kvRead(n.identityBucket),
    ...kvWrite(n.identityBucket, `${a}.>`),
    // signing keys: everyone's readable (readers verify channel senders), nobody's writable: only the provisioning
    // user (weft) writes them, or an agent could replace another's key with its own and sign as it
    ...kvRead(n.signingKeysBucket),
    // work: offer to any capability; claim only its own capabilities
    api('STREAM', 'INFO', n.workStream),
    n.workOffersWildcard,
    // An offer checks that its capability's consumers exist (provisioned): info is metadata, no work content.
    api('CONSUMER', 'INFO', n.workStream, '*'),
    api('CONSUMER', 'INFO', n.publicWorkStream, '*'),
    ...grant.agent.capabilities.flatMap((c) => claims(n.workStream, n.workSubject, n.workConsumer, c)),
    api('STREAM', 'INFO', n.publicWorkStream),
    n.publicWorkOffersWildcard,
    ...grant.agent.capabilities.flatMap((c) => claims(n.publicWorkStream, n.publicWorkSubject, n.workConsumer, c)),
    ...kvRead(n.completionsBucket),
    ...kvWrite(n.completionsBucket, '*'),
    ...kvRead(n.workHistoryBucket),
    ...kvWrite(n.workHistoryBucket, '*'),
    // dead letters and work events: team data
    n.dlqWildcard,
    api('STREAM', 'INFO', n.dlqStream),
    api('CONSUMER', 'CREATE', n.dlqStream),
    api('CONSUMER', 'INFO', n.dlqStream, '*'),
    api('CONSUMER', 'MSG', 'NEXT', n.dlqStream, '*'),
    api('CONSUMER', 'DELETE', n.dlqStream, '*'),
    api('STREAM', 'MSG', 'GET', n.dlqStream),
    api('STREAM', 'MSG', 'DELETE', n.dlqStream),
    n.workEventsWildcard,
    api('STREAM', 'INFO', n.eventsStream),
    api('CONSUMER', 'CREATE', n.eventsStream),
    api('CONSUMER', 'CREATE', n.eventsStream, '>'),
    api('CONSUMER', 'INFO', n.eventsStream, '*'),
    api('CONSUMER', 'MSG', 'NEXT', n.eventsStream, '*'),
    api('CONSUMER', 'DELETE', n.eventsStream, '*'),
    ackWildcard(n.eventsStream),
    // memories: its own private keys, the team's, the public ones, its principal's
    ...kvRead(n.memoryBucket('private'), `${a}.>`),
    ...kvWrite(n.memoryBucket('private'), `${a}.>`),
    ...kvRead(n.memoryBucket('team')),
    ...kvWrite(n.memoryBucket('team')),
    ...kvRead(n.publicMemoryBucket),
    ...kvWrite(n.publicMemoryBucket),
    ...kvRead(n.personalMemoryBucket(h)),
    ...kvWrite(n.personalMemoryBucket(h)),
    // orchestrations: team data
    ...kvRead(n.orchestrationsBucket),
    ...kvWrite(n.orchestrationsBucket),
    ...kvRead(n.checkpointsBucket),
    ...kvWrite(n.checkpointsBucket),
    // weft's NATS API trusts every caller fully, so agents get only the two requests shuttle's spin-up makes: with
    // coord.<p>.> an agent could create a local target running any command on weft's host, shut agents down, cancel work.
    ...AGENT_COORD_REQUESTS.map(([area, verb]) => n.coordSubject(area, verb)),
  ];
  // Allow rules are token wildcards, so "any ephemeral consumer" also matches other agents' durables: deny those by name.
  const deny = grant.others
    .filter((other) => other.id !== a)
    .flatMap((other) => [api('CONSUMER', 'MSG', 'NEXT', n.inboxStream, n.inboxConsumer(other.id)), api('CONSUMER', 'DELETE', n.inboxStream, n.inboxConsumer(other.id))]);
  const subscribe = [
    `${replyInboxPrefix(grant.user)}.>`,
    n.controlWildcard(a),
    ...grant.agent.capabilities.flatMap((c) => [n.workCapabilityWildcard(c), n.publicWorkCapabilityWildcard(c)]),
  ];
  return { publish: { allow: unique(publish), deny: unique(deny) }, subscribe: { allow: unique(subscribe), deny: [] }, allowResponses: true };
}

/**
 * weft coordinates the whole project and provisions its streams and buckets: every JetStream operation on the
 * project's streams and buckets (and weft's global ones), by name; nothing on other projects' streams.
 */
export function weftPermissions(projectId: string, principals: readonly string[], user = 'weft'): Permissions {
  const n = createNames(projectId);
  const streams = [n.channelsStream, n.inboxStream, n.workStream, n.publicWorkStream, n.dlqStream, n.eventsStream];
  const buckets = [
    n.receiptsBucket, n.registryBucket, n.publicRegistryBucket, n.identityBucket, n.signingKeysBucket, n.completionsBucket, n.workHistoryBucket,
    n.memoryBucket('private'), n.memoryBucket('team'), n.publicMemoryBucket, n.orchestrationsBucket, n.checkpointsBucket,
    n.weftTargetsBucket, n.weftWorkBucket, n.weftAssignmentsBucket, n.weftSpinUpsBucket, n.weftSpawnedBucket,
    globalNames.weftLeaseBucket, globalNames.weftSpinUpProjectsBucket,
    ...principals.flatMap((principal) => [n.personalRegistryBucket(principalHash(principal)), n.personalMemoryBucket(principalHash(principal))]),
  ];
  const perStream = (stream: string) => [
    api('STREAM', '*', stream),
    api('STREAM', 'MSG', '*', stream),
    api('CONSUMER', '*', stream),
    api('CONSUMER', '*', stream, '>'),
    api('CONSUMER', 'DURABLE', 'CREATE', stream, '>'),
    api('CONSUMER', 'MSG', 'NEXT', stream, '>'),
    api('DIRECT', 'GET', stream),
    api('DIRECT', 'GET', stream, '>'),
    ackWildcard(stream),
    flowControlWildcard(stream),
  ];
  const publish = [
    api('INFO'),
    api('STREAM', 'NAMES'),
    api('STREAM', 'LIST'),
    ...[...streams, ...buckets.map(kvStreamName)].flatMap(perStream),
    ...buckets.map((b) => kvKeySubject(b, '>')),
    n.projectWildcard,
    n.publicWorkWildcard,
    n.coordProjectWildcard,
    globalNames.coordGlobalWildcard,
  ];
  const subscribe = [`${replyInboxPrefix(user)}.>`, globalNames.coordWildcard, n.projectWildcard, n.publicWorkWildcard];
  return { publish: { allow: unique(publish), deny: [] }, subscribe: { allow: subscribe, deny: [] }, allowResponses: true };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
