// The kernel's typed extension registries, one per kind of thing looked up by id.
import { Registry } from './registry.js';
import type { AnyToolDefinition } from './mcp/define-tool.js';
import type { SpinUpMechanism } from './spin-up.js';
import type { Classifier } from './classifier.js';
import type { StorageFactory } from './storage-plugin.js';
import type { Decomposer } from './decomposer.js';

export interface KernelRegistries {
  readonly tools: Registry<AnyToolDefinition>;
  readonly spinUps: Registry<SpinUpMechanism>;
  readonly classifiers: Registry<Classifier>;
  readonly storages: Registry<StorageFactory>;
  readonly decomposers: Registry<Decomposer>;
}

export function createRegistries(): KernelRegistries {
  return Object.freeze({
    tools: new Registry<AnyToolDefinition>('tool'),
    spinUps: new Registry<SpinUpMechanism>('spin-up mechanism'),
    classifiers: new Registry<Classifier>('classifier'),
    storages: new Registry<StorageFactory>('storage backend'),
    decomposers: new Registry<Decomposer>('decomposer'),
  });
}
