// This repository's own Loominal config: a working example of every key (run `npx loom doctor` to check it).
// A project that installed loominal imports from 'loominal'; inside this repository the source is imported directly.
import { defineConfig } from './core/index.js';

export default defineConfig({
  // What `loom start` runs: 'warp' (messaging), 'pattern' (memory), 'shuttle' (orchestration) or 'weft' (coordinator).
  preset: 'warp',

  // Every agent working on this repository shares one project id. Left out, it is a hash of the git remote
  // (so clones on two machines agree), or of the project path when there is no remote.
  // project: 'loominal',

  // No url: use a NATS server on 127.0.0.1:4222 when one answers, else start a managed `nats-server -js`
  // with its store under ~/.loominal/nats (LOOMINAL_HOME moves it). NATS_URL and friends override this.
  nats: {
    // url: 'nats://127.0.0.1:4222',
    // port: 4222,
  },

  // Key-value state: 'nats-kv' (the default), 'filesystem' or 'memory' (tests only: nothing is shared).
  storage: 'nats-kv',

  // Plugins added to the preset's. Your own spin-up mechanism or classifier is an import and an entry here:
  //   import { myClassifier } from './my-classifier.js';   plugins: [myClassifier],
  plugins: [],

  // Preset plugins to leave out, by name.
  exclude: [],

  // Options per plugin name, checked by that plugin's own schema; environment variables a plugin maps win.
  options: {},

  // fatal | error | warn | info | debug | trace | silent (LOG_LEVEL overrides). Logs go to stderr as JSON.
  logLevel: 'info',
});
