// Checks every tool that stores text runs before writing: nothing that looks like a secret, unless told otherwise.
import { LoomError, type Logger } from '../../../core/index.js';
import { findSensitive } from '../sensitive.js';

/** Throws LOOM_ERR_SENSITIVE_CONTENT naming the field and what the text looks like, never the text itself. */
export function assertNotSensitive(fields: Readonly<Record<string, string | undefined>>, allowSensitive: boolean, log: Logger): void {
  if (allowSensitive) return;
  for (const [field, text] of Object.entries(fields)) {
    if (text === undefined) continue;
    const finding = findSensitive(text);
    if (!finding) continue;
    log.info({ field, kind: finding.kind }, 'refused to store content that looks like a secret');
    throw new LoomError(
      'LOOM_ERR_SENSITIVE_CONTENT',
      `${field}: looks like ${finding.kind} (characters ${finding.start}–${finding.end}) and was not stored. Memories are kept, shared and searchable, so they must not hold credentials: remove it or refer to where the secret lives (e.g. "the deploy token in the vault"), or pass allowSensitive: true if it is not a secret.`,
      { field, kind: finding.kind, start: finding.start, end: finding.end },
    );
  }
}
