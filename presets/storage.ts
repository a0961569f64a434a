// Every preset ships all storage backends; the config's `storage` picks one (default nats-kv).
import type { LoomPlugin } from '../core/index.js';

export const storagePlugins: LoomPlugin[] = [];
