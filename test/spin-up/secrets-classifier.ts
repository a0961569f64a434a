// A classifier for tests that load it through loom.config.ts: work mentioning a secret goes to copilot-cli agents in
// the corporate boundary; other work gets no opinion.
import { defineClassifier } from 'loominal';

export const secretsClassifier = defineClassifier({
  name: 'classifier:secrets',
  create: () => (work) => (/secret/i.test(work.description) ? { allowedAgentTypes: ['copilot-cli'], boundary: 'corporate', reason: 'mentions secrets' } : undefined),
});
