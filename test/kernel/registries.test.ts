// Registries: unknown ids list the known ones, duplicate ids name both owners, the configured storage id is checked.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineClassifier, defineSpinUp, defineStorage, isLoomError, LoomError, Registry, storageService } from '../../core/index.js';
import { createTestKernel } from '../../core/testing/kernel.js';

function catchLoom(fn: () => unknown): LoomError {
  try {
    fn();
  } catch (err) {
    if (isLoomError(err)) return err;
    throw err;
  }
  throw new Error('expected a LoomError');
}

const ssh = defineSpinUp({ name: 'spin-up:ssh', target: z.object({ host: z.string() }), start: async () => ({ handle: {} }) });
const local = defineSpinUp({ name: 'spin-up:local', target: z.object({ command: z.string() }), start: async () => ({ handle: {} }) });

describe('registries', () => {
  it('an unknown spin-up mechanism id lists the known ones', async () => {
    const kernel = await createTestKernel({ plugins: [ssh, local] });
    const error = catchLoom(() => kernel.registries.spinUps.get('kubernetes'));
    expect(error.code).toBe('LOOM_ERR_UNKNOWN_ID');
    expect(error.message).toBe('LOOM_ERR_UNKNOWN_ID: unknown spin-up mechanism "kubernetes"; known: local, ssh');
    expect(error.details?.known).toEqual(['local', 'ssh']);
    await kernel.stop();
  });

  it('an unknown classifier id says when nothing is registered', () => {
    const error = catchLoom(() => new Registry('classifier').get('boundary'));
    expect(error.message).toContain('unknown classifier "boundary"; known: (none registered)');
  });

  it('a classifier registered by two plugins names both owners', async () => {
    const first = defineClassifier({ name: 'classifier:boundary', create: () => () => undefined });
    const copy = { ...defineClassifier({ name: 'classifier:boundary', create: () => () => undefined }), name: 'classifier:boundary-copy' };
    // The copy registers under the id "boundary" too, because the id comes from the definition, not the plugin name.
    const error = await createTestKernel({ plugins: [first, copy] }).then(
      () => undefined,
      (err: unknown) => err as LoomError,
    );
    expect(error?.code).toBe('LOOM_ERR_DUPLICATE_ID');
    expect(error?.message).toContain('classifier "boundary" is registered twice: by classifier:boundary and by classifier:boundary-copy');
  });

  it('a duplicate id in a registry is refused and the first value stays', () => {
    const registry = new Registry<number>('tool');
    registry.add('send_message', 1, 'tools:channels');
    const error = catchLoom(() => registry.add('send_message', 2, 'tools:mine'));
    expect(error.code).toBe('LOOM_ERR_DUPLICATE_ID');
    expect(error.details?.owners).toEqual(['tools:channels', 'tools:mine']);
    expect(registry.get('send_message')).toBe(1);
  });

  it('a configured storage backend that no plugin registers is an error listing the known backends', async () => {
    const memoryLike = defineStorage({ name: 'storage:scratch', create: async () => ({ id: 'scratch', features: { ttl: false, watch: false, shared: false }, openBucket: async () => { throw new Error('unused'); }, destroyBucket: async () => {}, close: async () => {} }) });
    const kernel = await createTestKernel({ plugins: [memoryLike], config: { storage: 'redis' } });
    const error = await kernel.use(storageService).backend().then(() => { throw new Error('expected no backend'); }, (err: unknown) => err as LoomError);
    expect(error.code).toBe('LOOM_ERR_UNKNOWN_ID');
    expect(error.message).toContain('unknown storage backend "redis"; known: scratch');
    await kernel.stop();
  });
});
