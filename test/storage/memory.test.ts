// storage:memory against the storage contract.
import { createMemoryBackend } from '../../plugins/storage/memory/index.js';
import { runStorageContract } from '../contracts/storage.js';

runStorageContract('memory', async () => createMemoryBackend(), {
  unsupported: { shared: 'memory buckets live inside one process; two backend instances never share data' },
});
