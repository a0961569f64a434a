// The commented loom.config.ts that `loom init` writes.
import type { PresetName } from '../presets/index.js';

export function starterConfig(preset: PresetName): string {
  return `// Loominal configuration for this project: which preset \`loom start\` runs, how to reach NATS, your own plugins.
// Every key is optional. Environment variables (NATS_URL, LOOMINAL_PROJECT_ID, ...) override this file.
// Check it with \`npx loom doctor\`. Reference: docs/configuration.md in the loominal package.
import { defineConfig } from 'loominal';

export default defineConfig({
  // What \`loom start\` runs: 'warp' (messaging), 'pattern' (memory), 'shuttle' (orchestration) or 'weft' (coordinator).
  preset: '${preset}',

  // The project id every agent working on this repository shares. Leave it out and it is derived from the
  // git remote (the same repository on two machines is one project), or else from the project path.
  // project: 'my-project',

  // NATS. Without a url, Loominal uses a server on 127.0.0.1:4222 when one answers, and otherwise starts
  // its own (\`loom up\`), with its store under ~/.loominal/nats.
  nats: {
    // url: 'nats://127.0.0.1:4222',
  },

  // Where key-value state lives: 'nats-kv' (the default), 'filesystem' or 'memory'.
  // storage: 'nats-kv',

  // Your own plugins, added to the preset's: import a defineSpinUp(...) or defineClassifier(...) above and list it here.
  plugins: [],

  // Names of preset plugins to leave out, e.g. ['tools:dlq'].
  exclude: [],

  // Options per plugin name, checked against that plugin's own schema.
  options: {},
});
`;
}
