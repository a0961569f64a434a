// Which categories each scope allows, which of them expire, and the order recall_context reads them in.
import { z } from 'zod';
import { LoomError, type Scope } from '../../core/index.js';

export const CATEGORIES = ['recent', 'tasks', 'longterm', 'core', 'decisions', 'architecture', 'learnings'] as const;
export type Category = (typeof CATEGORIES)[number];
export const categorySchema = z.enum(CATEGORIES);

export const TEAM_CATEGORIES = ['decisions', 'architecture', 'learnings'] as const;

export const CATEGORIES_BY_SCOPE: Readonly<Record<Scope, ReadonlyArray<Category>>> = {
  private: ['recent', 'tasks', 'longterm', 'core'],
  personal: ['core', 'longterm'],
  team: TEAM_CATEGORIES,
  public: TEAM_CATEGORIES,
};

/** Categories whose memories expire; the lifetime comes from the plugin options. */
export const EXPIRING_CATEGORIES: ReadonlyArray<Category> = ['recent', 'tasks'];

export function isAllowed(scope: Scope, category: Category): boolean {
  return CATEGORIES_BY_SCOPE[scope].includes(category);
}

/** Throws LOOM_ERR_INVALID_INPUT naming `category` when the scope does not allow it. */
export function assertAllowed(scope: Scope, category: Category): void {
  if (isAllowed(scope, category)) return;
  throw new LoomError(
    'LOOM_ERR_INVALID_INPUT',
    `category: "${category}" is not allowed in scope "${scope}"; ${scope} allows ${CATEGORIES_BY_SCOPE[scope].join(', ')}`,
    { field: 'category', scope, category, allowed: CATEGORIES_BY_SCOPE[scope] },
  );
}

/** One section of recall_context: memories of these scope/category pairs, newest first across them. */
export interface RecallSection {
  id: string;
  title: string;
  groups: ReadonlyArray<{ scope: Scope; category: Category }>;
}

/**
 * SPEC §6 priority: core, longterm, team decisions/architecture/learnings, recent, tasks. Private and personal
 * core (and longterm) are one section each; public memories come last because they span every project.
 */
export const RECALL_SECTIONS: ReadonlyArray<RecallSection> = [
  { id: 'core', title: 'Core', groups: [{ scope: 'personal', category: 'core' }, { scope: 'private', category: 'core' }] },
  { id: 'longterm', title: 'Long-term', groups: [{ scope: 'personal', category: 'longterm' }, { scope: 'private', category: 'longterm' }] },
  { id: 'team-decisions', title: 'Team decisions', groups: [{ scope: 'team', category: 'decisions' }] },
  { id: 'team-architecture', title: 'Team architecture', groups: [{ scope: 'team', category: 'architecture' }] },
  { id: 'team-learnings', title: 'Team learnings', groups: [{ scope: 'team', category: 'learnings' }] },
  { id: 'recent', title: 'Recent', groups: [{ scope: 'private', category: 'recent' }] },
  { id: 'tasks', title: 'Tasks', groups: [{ scope: 'private', category: 'tasks' }] },
  { id: 'public-decisions', title: 'Public decisions', groups: [{ scope: 'public', category: 'decisions' }] },
  { id: 'public-architecture', title: 'Public architecture', groups: [{ scope: 'public', category: 'architecture' }] },
  { id: 'public-learnings', title: 'Public learnings', groups: [{ scope: 'public', category: 'learnings' }] },
];
