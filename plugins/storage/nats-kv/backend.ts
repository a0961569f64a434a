// createNatsKvBackend: buckets are NATS KV buckets (history 1, the spec's ttl as the bucket max age) on the kernel's connection.
import type { KV, Kvm } from '@nats-io/kv';
import { assertBucketName, assertBucketSpec, LoomError } from '../../../core/index.js';
import type { BucketSpec, KvBucket, KvWatch, Logger, StorageBackend } from '../../../core/index.js';
import { createNatsKvBucket } from './bucket.js';
import { isNatsTimeout } from '../../../core/nats/nats-errors.js';
import { bindExistingKv } from '../../../core/nats/bind-kv.js';

export interface NatsKvBackendOptions {
  /** The KV manager on the shared connection; the backend never opens or closes a connection itself. */
  kvm(): Promise<Kvm>;
  log?: Logger;
  /** Replicas of buckets this backend creates (nats.replicas); an existing bucket keeps its own. */
  replicas?: number;
}

export function createNatsKvBackend(options: NatsKvBackendOptions): StorageBackend {
  const opened = new Map<string, Promise<KV>>();
  const watches = new Set<KvWatch>();

  async function openKv(spec: BucketSpec): Promise<KV> {
    const kvm = await options.kvm();
    try {
      return await kvm.create(spec.name, { history: 1, replicas: options.replicas ?? 1, ...(spec.ttlMs ? { ttl: spec.ttlMs } : {}) });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (/already in use/i.test(message)) {
        // Created earlier with other limits: use the bucket as it is (reads still check age against this spec's ttl).
        options.log?.debug({ bucket: spec.name }, 'KV bucket exists with other settings; binding to it');
        return bindExistingKv(kvm, spec.name);
      }
      const code = /jetstream not enabled/i.test(message) ? 'LOOM_ERR_NATS_NO_JETSTREAM' : isNatsTimeout(err) ? 'LOOM_ERR_TIMEOUT' : 'LOOM_ERR_INTERNAL';
      throw new LoomError(code, `cannot open KV bucket ${spec.name}: ${message}`, { bucket: spec.name }, { cause: err });
    }
  }

  return {
    id: 'nats-kv',
    features: { ttl: true, watch: true, shared: true },
    async openBucket(input: BucketSpec): Promise<KvBucket> {
      const spec = assertBucketSpec(input);
      const key = `${spec.name}|${spec.ttlMs ?? 0}`;
      let kv = opened.get(key);
      if (!kv) {
        opened.set(key, (kv = openKv(spec)));
        kv.catch(() => opened.delete(key));
      }
      return createNatsKvBucket({
        name: spec.name,
        kv: await kv,
        ttlMs: spec.ttlMs,
        log: options.log,
        track(watch) {
          watches.add(watch);
          return () => watches.delete(watch);
        },
      });
    },
    async destroyBucket(name) {
      assertBucketName(name);
      for (const key of [...opened.keys()]) if (key.startsWith(`${name}|`)) opened.delete(key);
      const kvm = await options.kvm();
      const kv = await kvm.open(name).catch(() => undefined);
      await kv?.destroy().catch((err: unknown) => {
        if (!/not found/i.test(String(err))) throw err;
      });
    },
    async close() {
      await Promise.all([...watches].map((watch) => watch.stop()));
      watches.clear();
      opened.clear();
    },
  };
}
