// Unit tests of the secret detector: real-looking credentials are caught, everyday engineering prose is not.
import { describe, expect, it } from 'vitest';
import { findSensitive } from '../../plugins/pattern/sensitive.js';

const secrets: Array<[string, string]> = [
  ['an AWS access key id', 'deploy with AKIAIOSFODNN7EXAMPLE please'],
  ['an AWS secret access key', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
  ['a GitHub token', 'use ghp_1234567890abcdefghijABCDEFGHIJ123456 for the API'],
  ['a GitHub token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz'],
  ['a PEM private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----'],
  ['a PEM private key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----'],
  ['a Slack token', 'xoxb-123456789012-abcdefghijkl'],
  ['a password in a connection URL', 'DATABASE_URL=postgres://app:s3cr3tPassw0rd@db.internal:5432/app'],
  ['an API key or password assignment', 'config: api_key="Zk3q9XvB2mLp8RtY6wNc4HdJ"'],
  ['a JSON Web Token', 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'],
];

const harmless = [
  'We chose a token bucket rate limiter for the API gateway; see docs/rate-limit.md.',
  'The password reset flow sends an email with a one-time link that expires in 15 minutes.',
  'Commit 3a702d1f9c8b7e6d5c4b3a29181716151413121a fixed the flaky registry test.',
  'Set API_KEY in the environment (never commit it); the value lives in the vault.',
  'postgres://localhost:5432/app is the default database URL in development.',
  'api_key = <your key here>',
  'The sk-learn pipeline uses a StandardScaler before the SVM.',
];

describe('findSensitive', () => {
  it.each(secrets)('recognizes %s', (kind, text) => {
    const finding = findSensitive(text);
    expect(finding?.kind).toBe(kind);
    expect(finding!.end).toBeGreaterThan(finding!.start);
  });

  it.each(harmless)('lets ordinary engineering text through: %s', (text) => {
    expect(findSensitive(text)).toBeUndefined();
  });
});
