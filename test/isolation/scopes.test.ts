// The one visibility rule for the four scopes.
import { describe, expect, it } from 'vitest';
import { isVisible, SCOPES, type Scope } from '../../core/index.js';

const owner = { agentId: 'a1', principal: 'ada@host', projectId: 'p1' };
const viewers = {
  sameAgent: { agentId: 'a1', principal: 'ada@host', projectId: 'p1' },
  sameAgentOtherProject: { agentId: 'a1', principal: 'ada@host', projectId: 'p2' },
  teammate: { agentId: 'a2', principal: 'bob@host', projectId: 'p1' },
  samePrincipalOtherProject: { agentId: 'a3', principal: 'ada@host', projectId: 'p2' },
  stranger: { agentId: 'a4', principal: 'eve@host', projectId: 'p9' },
};

const expected: Record<Scope, Record<keyof typeof viewers, boolean>> = {
  private: { sameAgent: true, sameAgentOtherProject: false, teammate: false, samePrincipalOtherProject: false, stranger: false },
  personal: { sameAgent: true, sameAgentOtherProject: true, teammate: false, samePrincipalOtherProject: true, stranger: false },
  team: { sameAgent: true, sameAgentOtherProject: false, teammate: true, samePrincipalOtherProject: false, stranger: false },
  public: { sameAgent: true, sameAgentOtherProject: true, teammate: true, samePrincipalOtherProject: true, stranger: true },
};

describe('isVisible', () => {
  it('knows exactly the four scopes', () => {
    expect([...SCOPES]).toEqual(['private', 'personal', 'team', 'public']);
  });

  for (const scope of SCOPES) {
    for (const [viewer, visible] of Object.entries(expected[scope])) {
      it(`a ${scope} record is ${visible ? '' : 'not '}visible to ${viewer}`, () => {
        expect(isVisible({ ...owner, scope }, viewers[viewer as keyof typeof viewers])).toBe(visible);
      });
    }
  }
});
