// `loom auth --provision`: creates the project's streams, buckets and work consumers with a service user, through the
// services' own ensure functions and options, so agents (who may not create or update them) find them ready.
import { createNames, PRIORITY_LEVELS, type LoomConfig, type Logger } from '../../core/index.js';
import { createNatsService } from '../../core/nats/connection.js';
import { resolvePluginOptions } from '../../core/plugin-options.js';
import { channelsServicePlugin } from '../../plugins/services/channels/index.js';
import { resolveChannels, type ChannelsOptions } from '../../plugins/services/channels/options.js';
import { ensureChannelStreams } from '../../plugins/services/channels/streams.js';
import { inboxServicePlugin, type InboxOptions } from '../../plugins/services/inbox/index.js';
import { ensureInboxStream } from '../../plugins/services/inbox/stream.js';
import { workQueuePlugin } from '../../plugins/services/work-queue/index.js';
import { toSettings, type WorkQueueOptions } from '../../plugins/services/work-queue/settings.js';
import { createQueueTopology } from '../../plugins/services/work-queue/topology.js';
import { workEventsPlugin } from '../../plugins/services/work-events/index.js';
import { createEventsStream } from '../../plugins/services/work-events/events-stream.js';
import { registryServicePlugin, type RegistryOptions } from '../../plugins/services/registry/index.js';
import { shuttleToolGroup, type ShuttleOptions } from '../../plugins/shuttle/index.js';
import { createNatsKvBackend } from '../../plugins/storage/nats-kv/index.js';
import { principalHash, shuttleIdentity, type AuthSpec } from './spec.js';
import type { AgentPublicKey } from './generate.js';
import { provisionSigningKeys, type ProvisionedKeys } from './provision-keys.js';

const HOUR_MS = 60 * 60 * 1000;

export interface ProvisionOptions {
  spec: AuthSpec;
  /** Connection of a user allowed to create them (the generated weft user). */
  nats: LoomConfig['nats'];
  config: LoomConfig;
  env: Readonly<Record<string, string | undefined>>;
  log: Logger;
  /** The agents' public keys (from generateAuth), stored in KV loom-keys-<p>: readers verify channel senders with them. */
  publicKeys: readonly AgentPublicKey[];
}

export interface Provisioned {
  streams: string[];
  buckets: string[];
  consumers: string[];
  signingKeys: ProvisionedKeys;
}

export async function provisionProject(options: ProvisionOptions): Promise<Provisioned> {
  const { spec, config, env, log } = options;
  const opts = <T>(plugin: Parameters<typeof resolvePluginOptions>[0]) => resolvePluginOptions(plugin, undefined, config.options[plugin.name], env) as T;
  const channelsOptions = opts<ChannelsOptions>(channelsServicePlugin);
  const inboxOptions = opts<InboxOptions>(inboxServicePlugin);
  const workOptions = opts<WorkQueueOptions>(workQueuePlugin);
  const eventsOptions = opts<{ maxAgeMs: number }>(workEventsPlugin);
  const registryOptions = opts<RegistryOptions>(registryServicePlugin);
  const shuttleOptions = opts<ShuttleOptions>(shuttleToolGroup);
  const replicas = options.nats.replicas ?? 1;
  const names = createNames(spec.project);
  const nats = createNatsService({ config: options.nats, env: {}, log, name: 'loom-auth-provision' });
  try {
    const jsm = await nats.manager();
    const extra = spec.channels.filter((name) => !channelsOptions.channels.some((c) => c.name === name)).map((name) => ({ name, description: '' }));
    const channels = resolveChannels({ ...channelsOptions, channels: [...channelsOptions.channels, ...extra] }, names);
    await ensureChannelStreams(jsm, channels.values(), log, replicas);
    await ensureInboxStream(jsm, names, inboxOptions.maxAgeMs, log, replicas);
    const topology = createQueueTopology(async () => jsm, toSettings(workOptions), log, replicas);
    await topology.workStream(names);
    await topology.publicWorkStream(names);
    await topology.dlqStream(names);
    // Every granted capability's consumers exist before anyone offers to it: an offering agent may not create them.
    const consumers: string[] = [];
    for (const capability of new Set(spec.agents.flatMap((a) => a.capabilities))) {
      for (const level of PRIORITY_LEVELS) {
        await topology.consumer(names.workStream, names.workConsumer(capability, level), names.workSubject(capability, level));
        await topology.consumer(names.publicWorkStream, names.workConsumer(capability, level), names.publicWorkSubject(capability, level));
        consumers.push(`${names.workStream}/${names.workConsumer(capability, level)}`, `${names.publicWorkStream}/${names.workConsumer(capability, level)}`);
      }
    }
    await createEventsStream(async () => jsm, eventsOptions.maxAgeMs, replicas).ensure(names);

    const principals = [...new Set([...spec.agents.map((a) => a.principal), ...(spec.services.includes('shuttle') ? [shuttleIdentity(spec).principal] : [])])];
    const buckets: Array<{ name: string; ttlMs?: number }> = [
      { name: names.receiptsBucket, ttlMs: inboxOptions.maxAgeMs + HOUR_MS },
      { name: names.registryBucket, ttlMs: registryOptions.retentionMs },
      { name: names.publicRegistryBucket, ttlMs: registryOptions.retentionMs },
      { name: names.identityBucket },
      { name: names.signingKeysBucket },
      { name: names.completionsBucket, ttlMs: workOptions.recordMaxAgeMs },
      { name: names.workHistoryBucket, ttlMs: workOptions.recordMaxAgeMs },
      { name: names.memoryBucket('private') },
      { name: names.memoryBucket('team') },
      { name: names.publicMemoryBucket },
      { name: names.orchestrationsBucket, ttlMs: shuttleOptions.orchestrationTtlMs },
      { name: names.checkpointsBucket, ttlMs: shuttleOptions.checkpointTtlMs },
      ...principals.flatMap((principal) => [
        { name: names.personalRegistryBucket(principalHash(principal)), ttlMs: registryOptions.retentionMs },
        { name: names.personalMemoryBucket(principalHash(principal)) },
      ]),
    ];
    const backend = createNatsKvBackend({ kvm: () => nats.kvm(), log, replicas });
    for (const bucket of buckets) await backend.openBucket(bucket);
    const signingKeys = await provisionSigningKeys(await backend.openBucket({ name: names.signingKeysBucket }), options.publicKeys);
    await backend.close();
    const streams = [...new Set([...channels.values()].map((c) => c.stream)), names.inboxStream, names.workStream, names.publicWorkStream, names.dlqStream, names.eventsStream];
    return { streams, buckets: buckets.map((b) => b.name), consumers, signingKeys };
  } finally {
    await nats.close();
  }
}
