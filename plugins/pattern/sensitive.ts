// Recognizes content that looks like a secret, so memories (shared, kept, searchable) never hold one by accident.

export interface SensitiveFinding {
  /** What it looks like, in words: "an AWS access key id". */
  kind: string;
  /** Character offsets of the match; the matched text itself is never reported. */
  start: number;
  end: number;
}

interface Detector {
  kind: string;
  pattern: RegExp;
  /** Extra test on the suspicious part (the first capture group, else the whole match). */
  accept?: (candidate: string) => boolean;
}

/** Shannon entropy in bits per character. Random keys score above ~3.5; words and identifiers below. */
export function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

const looksRandom = (value: string) => value.length >= 16 && entropy(value) >= 3.5 && /[0-9]/.test(value) && /[A-Za-z]/.test(value);

const DETECTORS: ReadonlyArray<Detector> = [
  { kind: 'a PEM private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  { kind: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|AIDA|AROA)[A-Z0-9]{16}\b/ },
  { kind: 'an AWS secret access key', pattern: /aws.{0,24}?(?:secret|private).{0,24}?[=:"'\s]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/i },
  { kind: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/ },
  { kind: 'a GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/ },
  { kind: 'a Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/ },
  { kind: 'a Stripe secret key', pattern: /\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}\b/ },
  { kind: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { kind: 'an OpenAI or Anthropic API key', pattern: /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}/ },
  { kind: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { kind: 'a NATS nkey seed', pattern: /\bS[UOACNPX][A-Z2-7]{56}\b/ },
  { kind: 'a password in a connection URL', pattern: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/]+:([^\s@/]{3,})@[^\s]+/i, accept: (pw) => !/^\*+$|^<.*>$|^\$\{.*\}$|^password$/i.test(pw) },
  {
    kind: 'an API key or password assignment',
    pattern: /\b(?:api[_-]?key|api[_-]?secret|secret[_-]?key|access[_-]?key|auth[_-]?token|access[_-]?token|client[_-]?secret|password|passwd|token|secret)["']?\s*[:=]\s*["']?([A-Za-z0-9_\-/+=.~]{16,})/i,
    accept: looksRandom,
  },
];

/** The first thing in text that looks like a secret, or undefined. */
export function findSensitive(text: string): SensitiveFinding | undefined {
  for (const detector of DETECTORS) {
    const global = new RegExp(detector.pattern.source, detector.pattern.flags.includes('g') ? detector.pattern.flags : `${detector.pattern.flags}g`);
    for (const match of text.matchAll(global)) {
      const candidate = match[1] ?? match[0];
      if (detector.accept && !detector.accept(candidate)) continue;
      const start = match.index ?? 0;
      return { kind: detector.kind, start, end: start + match[0].length };
    }
  }
  return undefined;
}
