// Sequencing words in an item or section: "then …" waits for the previous one, "finally …" for all before it, "after step 2" for step 2.

const AFTER_PREVIOUS = /^(?:then|and then|after that|afterwards|afterward|next|once (?:that|this|these|those|the above) (?:is|are) (?:done|finished|complete))\b[\s,:;-]*/i;
const AFTER_ALL = /^(?:finally|lastly|last of all|at the end)\b[\s,:;-]*/i;
const AFTER_STEPS = /\bafter (?:steps?|items?|parts?|#)\s*(\d+(?:\s*(?:,|and|&|\+)\s*#?\d+)*)/i;

export interface Cue {
  /** The text without the leading sequencing words. */
  text: string;
  kind: 'none' | 'previous' | 'all' | 'steps';
  /** 1-based item numbers, for kind "steps". */
  steps: number[];
}

export function readCue(text: string): Cue {
  const trimmed = text.trim();
  const previous = AFTER_PREVIOUS.exec(trimmed);
  if (previous) return { text: capitalize(trimmed.slice(previous[0].length)), kind: 'previous', steps: [] };
  const all = AFTER_ALL.exec(trimmed);
  if (all) return { text: capitalize(trimmed.slice(all[0].length)), kind: 'all', steps: [] };
  const steps = AFTER_STEPS.exec(trimmed);
  if (steps) return { text: trimmed, kind: 'steps', steps: [...steps[1]!.matchAll(/\d+/g)].map((m) => Number(m[0])) };
  return { text: trimmed, kind: 'none', steps: [] };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Dependencies of item `index` (0-based) among `ids`, from its cue. */
export function dependenciesFor(cue: Cue, index: number, ids: ReadonlyArray<string>): string[] {
  if (cue.kind === 'previous' && index > 0) return [ids[index - 1]!];
  if (cue.kind === 'all') return ids.slice(0, index);
  if (cue.kind === 'steps') return [...new Set(cue.steps.filter((step) => step >= 1 && step <= ids.length && step - 1 !== index).map((step) => ids[step - 1]!))];
  return [];
}

/** Splits prose on "then" ("Build the parser, then write tests, and then document it"); one part when there is none. */
export function splitOnThen(text: string): string[] {
  return text
    .split(/\s*(?:[,;]\s*(?:and\s+)?|\.\s+|\s+and\s+|\s+)\bthen\b[\s,:]*/i)
    .map((part) => part.trim().replace(/^(?:first(?:ly)?|to start)\b[\s,:]*/i, '').replace(/[.;,]+$/, '').trim())
    .filter((part) => part !== '')
    .map(capitalize);
}
