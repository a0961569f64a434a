// Tests read a product's KV buckets as the product does: once the bucket exists, with direct gets where it has them.
import { Kvm, type KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';
import { bindExistingKv } from '../nats/bind-kv.js';
import { until } from './poll.js';

/**
 * Waits for the bucket's stream, then binds to it. A bare `new Kvm(nc).open()` reads through STREAM.MSG.GET, and a
 * test polling that before the product creates the bucket can crash nats-server 2.9 (see bindExistingKv).
 */
export function openKv(nc: NatsConnection, name: string, timeoutMs = 30_000): Promise<KV> {
  return until(() => bindExistingKv(new Kvm(nc), name), `KV bucket ${name} to exist`, timeoutMs);
}
