// The four scopes and the one visibility rule every tool uses.
import { z } from 'zod';

export const SCOPES = ['private', 'personal', 'team', 'public'] as const;
export type Scope = (typeof SCOPES)[number];
export const scopeSchema = z.enum(SCOPES);

/** Who owns a scoped record: enough to decide who else may see it. */
export interface ScopedOwner {
  scope: Scope;
  agentId: string;
  principal: string;
  projectId: string;
}

export interface Viewer {
  agentId: string;
  principal: string;
  projectId: string;
}

/**
 * private: the same agent in the same project; personal: the same principal, any project;
 * team: any agent of the same project; public: anyone on the NATS account.
 */
export function isVisible(owner: ScopedOwner, viewer: Viewer): boolean {
  switch (owner.scope) {
    case 'private':
      return owner.agentId === viewer.agentId && owner.projectId === viewer.projectId;
    case 'personal':
      return owner.principal === viewer.principal;
    case 'team':
      return owner.projectId === viewer.projectId;
    case 'public':
      return true;
  }
}
