// Binds to a KV bucket that exists, reading it the way its stream allows: direct gets when the stream has them.
import type { KV, Kvm } from '@nats-io/kv';
import { kvStreamName } from '../isolation/jetstream-names.js';

/**
 * nats.js's `Kvm.open` binds without looking at the stream and then reads with $JS.API.STREAM.MSG.GET. nats-server 2.9
 * crashes (a nil dereference in jsMsgGetRequest) when such a request meets a stream that is being created at that
 * moment, and a `loom auth` user may only use direct gets. So a bucket is bound only after its stream info is read,
 * with the stream's own allow_direct.
 */
export async function bindExistingKv(kvm: Kvm, name: string): Promise<KV> {
  const jsm = await kvm.js.jetstreamManager();
  const info = await jsm.streams.info(kvStreamName(name));
  return kvm.open(name, { allow_direct: info.config.allow_direct === true });
}
