// classifier:boundary: corporate → copilot only, corporate-adjacent → copilot preferred, personal → claude-code preferred, open-source → any.
import { defineClassifier } from '../../../core/index.js';
import { boundaryFromPaths, boundaryOptionsSchema, buildRules, describeRule, type BoundaryOptions } from './rules.js';

export const boundaryClassifier = defineClassifier<BoundaryOptions>({
  name: 'classifier:boundary',
  options: boundaryOptionsSchema,
  create(ctx) {
    const rules = buildRules(ctx.options);
    const rank = (name: string) => rules.findIndex((rule) => rule.name === name);
    return (work) => {
      const explicit = work.boundary ? rules.find((rule) => rule.name === work.boundary) : undefined;
      const derived = work.paths?.length ? boundaryFromPaths(rules, work.paths) : undefined;
      // When both apply, the stricter boundary wins: a path under a corporate pattern is never routed as personal.
      const useDerived = derived !== undefined && (explicit === undefined || rank(derived.rule.name) < rank(explicit.name));
      const rule = useDerived ? derived.rule : explicit;
      if (!rule) return undefined;
      const why = useDerived ? `path ${derived.path} matches ${derived.rule.name} pattern ${derived.pattern}` : `the work is marked ${rule.name}`;
      return {
        boundary: rule.name,
        ...(rule.allowedAgentTypes.length ? { allowedAgentTypes: [...rule.allowedAgentTypes] } : {}),
        ...(rule.preferredAgentTypes.length ? { preferredAgentTypes: [...rule.preferredAgentTypes] } : {}),
        reason: `boundary ${rule.name} (${why}): ${describeRule(rule)}`,
      };
    };
  },
});

export { globToRegExp, matchesGlob } from './glob.js';
