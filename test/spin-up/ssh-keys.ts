// Ed25519 key pairs for the SSH tests that ssh2 itself can read back (every SSH test uses one: an unreadable key
// fails the test server at start).
import ssh2 from 'ssh2';

const { utils } = ssh2;

/**
 * ssh2's generateKeyPairSync('ed25519') strips leading zero bytes from the public key, so about one key in 256 is
 * malformed and its own parser (and Server) reject it (mscdex/ssh2#1390, #1513). Keys from ssh-keygen are not
 * affected, so this is the tests' problem only: draw again until both halves parse.
 */
export function ed25519KeyPair(): { private: string; public: string } {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(pair.public) instanceof Error) && !(utils.parseKey(pair.private) instanceof Error)) return pair;
  }
}
