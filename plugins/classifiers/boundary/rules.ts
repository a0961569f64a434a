// The design's boundary table and the path-glob boundaries from config, merged into one ordered rule list.
import { z } from 'zod';
import { tokenSchema } from '../../../core/index.js';
import { matchesGlob } from './glob.js';

export const boundaryRuleSchema = z.strictObject({
  /** Paths matching any of these globs put work under this boundary (e.g. "**\/internal/**"). */
  patterns: z.array(z.string().min(1)).default([]),
  /** Only these agent types may take the work; absent = the built-in rule, [] = any. */
  allowedAgentTypes: z.array(tokenSchema).optional(),
  /** These agent types are tried first. */
  preferredAgentTypes: z.array(tokenSchema).optional(),
});

export const boundaryOptionsSchema = z.strictObject({
  /** Per boundary name: path patterns and agent-type rules. Merged over the built-in table. */
  boundaries: z.record(tokenSchema, boundaryRuleSchema).default({}),
});
export type BoundaryOptions = z.output<typeof boundaryOptionsSchema>;

export interface BoundaryRule {
  name: string;
  patterns: string[];
  allowedAgentTypes: string[];
  preferredAgentTypes: string[];
}

/** GitHub Copilot's agent types: `copilot` as the design names it, `copilot-cli` as the Copilot CLI agents register. */
export const COPILOT_AGENT_TYPES: ReadonlyArray<string> = ['copilot', 'copilot-cli'];

/** The design's table, strictest first: that order also settles an explicit boundary against a path-derived one. */
export const BUILT_IN_BOUNDARIES: ReadonlyArray<BoundaryRule> = [
  { name: 'corporate', patterns: [], allowedAgentTypes: [...COPILOT_AGENT_TYPES], preferredAgentTypes: [...COPILOT_AGENT_TYPES] },
  { name: 'corporate-adjacent', patterns: [], allowedAgentTypes: [], preferredAgentTypes: [...COPILOT_AGENT_TYPES] },
  { name: 'personal', patterns: [], allowedAgentTypes: [], preferredAgentTypes: ['claude-code'] },
  { name: 'open-source', patterns: [], allowedAgentTypes: [], preferredAgentTypes: [] },
];

export function buildRules(options: BoundaryOptions): BoundaryRule[] {
  const rules = BUILT_IN_BOUNDARIES.map((rule) => ({ ...rule }));
  for (const [name, configured] of Object.entries(options.boundaries)) {
    const existing = rules.find((rule) => rule.name === name);
    const merged: BoundaryRule = {
      name,
      patterns: configured.patterns,
      allowedAgentTypes: configured.allowedAgentTypes ?? existing?.allowedAgentTypes ?? [],
      preferredAgentTypes: configured.preferredAgentTypes ?? existing?.preferredAgentTypes ?? [],
    };
    if (existing) Object.assign(existing, merged);
    else rules.push(merged);
  }
  return rules;
}

/** The first (strictest) rule whose patterns match one of the paths, with the path and pattern that matched. */
export function boundaryFromPaths(rules: ReadonlyArray<BoundaryRule>, paths: ReadonlyArray<string>): { rule: BoundaryRule; path: string; pattern: string } | undefined {
  for (const rule of rules) {
    for (const pattern of rule.patterns) {
      const path = paths.find((candidate) => matchesGlob(candidate, pattern));
      if (path !== undefined) return { rule, path, pattern };
    }
  }
  return undefined;
}

export function describeRule(rule: BoundaryRule): string {
  if (rule.allowedAgentTypes.length) return `${rule.allowedAgentTypes.join(' or ')} only`;
  if (rule.preferredAgentTypes.length) return `${rule.preferredAgentTypes.join(', ')} preferred`;
  return 'any agent';
}
