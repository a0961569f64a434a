// Every preset ships all storage backends; the config's `storage` picks one (default nats-kv).
import type { LoomPlugin } from '../core/index.js';
import { natsKvStorage } from '../plugins/storage/nats-kv/index.js';
import { filesystemStorage } from '../plugins/storage/filesystem/index.js';
import { memoryStorage } from '../plugins/storage/memory/index.js';

export const storagePlugins: LoomPlugin[] = [natsKvStorage, filesystemStorage, memoryStorage];
