// storage:nats-kv — the default backend: NATS JetStream KV buckets on the kernel's one connection.
import { defineStorage, natsService } from '../../../core/index.js';
import { createNatsKvBackend } from './backend.js';

export { createNatsKvBackend, type NatsKvBackendOptions } from './backend.js';

export const natsKvStorage = defineStorage({
  name: 'storage:nats-kv',
  async create(ctx) {
    const nats = ctx.use(natsService);
    return createNatsKvBackend({ kvm: () => nats.kvm(), log: ctx.log, replicas: ctx.config.nats.replicas ?? 1 });
  },
});
