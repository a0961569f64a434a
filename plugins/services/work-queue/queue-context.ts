// What the work queue's parts share in one process: connection, settings, streams, records, events and held leases.
import type { Logger, Names, NatsService, WorkItem, WorkMessage, WorkQueueSettings } from '../../../core/index.js';
import type { LeasedMessage } from './leased-message.js';
import type { QueueTopology } from './topology.js';
import type { WorkRecords } from './records.js';
import type { EmitWorkEvent } from './emit.js';

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
}

/** Deliveries allowed for a message that already used `priorAttempts` (a retry kept without reset gets one more). */
export function deliveryLimit(settings: WorkQueueSettings, message: WorkMessage): number {
  return Math.max(1, settings.maxDeliver - message.priorAttempts);
}
