// The SSH tests' key pairs always parse: without the redraw, about 8 of 2,000 ssh2-generated keys would not.
import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { ed25519KeyPair } from './ssh-keys.js';

describe('ed25519KeyPair', () => {
  it('gives 2,000 key pairs in a row whose public and private halves ssh2 parses', () => {
    const unreadable = Array.from({ length: 2000 }, () => ed25519KeyPair()).filter((pair) => ssh2.utils.parseKey(pair.public) instanceof Error || ssh2.utils.parseKey(pair.private) instanceof Error);
    expect(unreadable).toEqual([]);
  });
});
