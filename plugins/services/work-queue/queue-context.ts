// What the work queue's parts share in one process: connection, settings, streams, records, events and held leases.
import type { Logger, Names, NatsService, WorkItem, WorkMessage, WorkQueueSettings } from '../../../core/index.js';
import type { LeasedMessage } from './leased-message.js';
import type { QueueTopology } from './topology.js';
import type { WorkRecords } from './records.js';
import type { EmitWorkEvent } from './emit.js';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Puller } from './puller.js';
import type { WakeHub } from './wake.js';
import type { EmptyBands } from './empty-bands.js';

/** The connection with what claims share on it: reusable pull subscriptions and the offer wake-ups. */
export interface QueueTransport {
  nc: NatsConnection;
  puller: Puller;
  wakes: WakeHub;
  bands: EmptyBands;
}

/** An item this process claimed and has not settled: its JetStream lease lives here and nowhere else. */
export interface HeldWork {
  item: WorkItem;
  message: WorkMessage;
  leased: LeasedMessage;
  /** Names of the project that offered it (public work keeps its events and records there). */
  origin: Names;
  agentId: string;
  leaseExpiresAt: number;
  /** Deliveries this message may use before a failure dead-letters it. */
  limit: number;
}

export interface QueueContext {
  nats: NatsService;
  settings: WorkQueueSettings;
  topology: QueueTopology;
  records: WorkRecords;
  emit: EmitWorkEvent;
  held: Map<string, HeldWork>;
  log: Logger;
  /** Made once per process on first use. */
  transport(): Promise<QueueTransport>;
  /** The names of a project (validated once, then cached: every message names its project). */
  names(projectId: string): Names;
}

/** Deliveries allowed for a message that already used `priorAttempts` (a retry kept without reset gets one more). */
export function deliveryLimit(settings: WorkQueueSettings, message: WorkMessage): number {
  return Math.max(1, settings.maxDeliver - message.priorAttempts);
}
