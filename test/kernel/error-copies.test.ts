// A LoomError from another copy of the kernel (a loom.config.ts loaded through jiti) keeps its code everywhere.
import { createJiti } from 'jiti';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, defineToolGroup, isLoomError, LoomError, toLoomError } from '../../core/index.js';
import { callTool } from '../../core/mcp/bridge.js';
import { createTestKernel } from '../../core/testing/kernel.js';

async function foreignLoomError(): Promise<typeof LoomError> {
  const jiti = createJiti(import.meta.url, { moduleCache: false });
  const copy = await jiti.import<{ LoomError: typeof LoomError }>(new URL('../../core/errors.ts', import.meta.url).pathname);
  expect(copy.LoomError).not.toBe(LoomError);
  return copy.LoomError;
}

describe('LoomError across module copies', () => {
  it('is recognized by instanceof, isLoomError and toLoomError', async () => {
    const Foreign = await foreignLoomError();
    const err = new Foreign('LOOM_ERR_NOT_FOUND', 'no such note');
    expect(err instanceof LoomError).toBe(true);
    expect(isLoomError(err, 'LOOM_ERR_NOT_FOUND')).toBe(true);
    expect(toLoomError(err)).toBe(err);
    expect(new Error('plain') instanceof LoomError).toBe(false);
    expect(isLoomError({ code: 'LOOM_ERR_NOT_FOUND', message: 'look-alike' })).toBe(false);
  });

  it('comes back from a tool with its own code, not LOOM_ERR_INTERNAL', async () => {
    const Foreign = await foreignLoomError();
    const group = defineToolGroup({
      name: 'tools:foreign',
      tools: [defineTool({ name: 'lookup', title: 'Lookup', description: 'Always missing', input: z.object({}), output: z.object({}), run: () => { throw new Foreign('LOOM_ERR_NOT_FOUND', 'nothing here'); } })],
    });
    const kernel = await createTestKernel({ plugins: [group] });
    const result = await callTool(kernel, kernel.registries.tools.get('lookup'), {}, new AbortController().signal);
    expect(result.content[0]).toEqual({ type: 'text', text: 'LOOM_ERR_NOT_FOUND: nothing here' });
    await kernel.stop();
  });
});
