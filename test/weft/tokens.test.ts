// API tokens: the API_TOKENS format, project binding, and matching by digest.
import { describe, expect, it } from 'vitest';
import { matchToken, parseTokens } from '../../plugins/weft/api/tokens.js';

describe('API tokens', () => {
  it('reads unbound tokens separated by commas and bound ones with a project list', () => {
    const entries = parseTokens('alpha-token-1,beta-token-22;gamma-token-3:proj-a,proj-b');
    expect(entries.map((e) => e.projects)).toEqual(['all', 'all', ['proj-a', 'proj-b']]);
    expect(matchToken(entries, 'gamma-token-3')?.label).toBe('token #3');
    expect(matchToken(entries, 'beta-token-22')?.projects).toBe('all');
    expect(matchToken(entries, 'gamma-token-')).toBeUndefined();
    expect(matchToken(entries, '')).toBeUndefined();
  });

  it('binds only the token right before the colon when commas and a colon are mixed', () => {
    const entries = parseTokens('admin-token-1,alpha-token-1:proj-a');
    expect(matchToken(entries, 'admin-token-1')?.projects).toBe('all');
    expect(matchToken(entries, 'alpha-token-1')?.projects).toEqual(['proj-a']);
  });

  it('keeps only digests, never the token text', () => {
    const entries = parseTokens([{ token: 'secret-token-value', projects: ['p1'] }]);
    expect(JSON.stringify(entries)).not.toContain('secret-token-value');
  });

  it('rejects a short token or a project binding that is not a projectId, without echoing the token', () => {
    expect(() => parseTokens('short')).toThrow(/token #1 is shorter than 8/);
    try {
      parseTokens('long-enough-token:Bad.Project');
      expect.unreachable();
    } catch (err) {
      expect(String(err)).toMatch(/not a valid projectId/);
      expect(String(err)).not.toContain('long-enough-token');
    }
  });
});
