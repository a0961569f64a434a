// The embedded default's two defaults that the process tests never use (they must not touch 127.0.0.1:4222 or the
// user's home): the port it looks at first, and where its store, url file and lock live without LOOMINAL_HOME.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LOCAL_PORT, DEFAULT_LOCAL_URL, loominalHome } from '../../core/nats/embedded.js';

const realHome = process.env.HOME;
afterEach(() => {
  process.env.HOME = realHome;
});

describe('the embedded default', () => {
  it('looks at 127.0.0.1:4222 first, the port every nats client tries', () => {
    expect(DEFAULT_LOCAL_PORT).toBe(4222);
    expect(DEFAULT_LOCAL_URL).toBe('nats://127.0.0.1:4222');
  });

  it('lives in ~/.loominal unless LOOMINAL_HOME says otherwise (an empty one counts as unset)', () => {
    process.env.HOME = '/home/someone-else';
    expect(homedir()).toBe('/home/someone-else');
    expect(loominalHome({})).toBe(join('/home/someone-else', '.loominal'));
    expect(loominalHome({ LOOMINAL_HOME: '' })).toBe(join('/home/someone-else', '.loominal'));
    expect(loominalHome({ LOOMINAL_HOME: '/srv/loom' })).toBe('/srv/loom');
  });
});
