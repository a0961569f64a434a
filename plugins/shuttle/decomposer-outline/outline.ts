// Splits a task text into subtasks: sections under headings, else top-level list items, else "then"-separated steps.
import type { ProposedSubtask } from '../../../core/index.js';
import { dependenciesFor, readCue, splitOnThen } from './cues.js';
import { slugify, uniqueId } from './slug.js';

interface Part {
  title: string;
  body: string;
}

const HEADING = /^ {0,3}(#{1,6})\s+(.+?)\s*#*\s*$/;
const ITEM = /^(\s*)(?:[-*+•]|\d{1,3}[.)]|[a-z][.)])\s+(?:\[[ xX]\]\s+)?(.*)$/;

function headingParts(lines: string[]): Part[] {
  const headings = lines.map((line, index) => ({ index, match: HEADING.exec(line) })).filter((h) => h.match);
  const levels = [1, 2, 3, 4, 5, 6].filter((level) => headings.filter((h) => h.match![1]!.length === level).length >= 2);
  const level = levels[0];
  if (level === undefined) return [];
  const splits = headings.filter((h) => h.match![1]!.length === level);
  return splits.map((h, n) => {
    const end = splits[n + 1]?.index ?? lines.length;
    return { title: h.match![2]!.trim(), body: lines.slice(h.index + 1, end).join('\n').trim() };
  });
}

function listParts(lines: string[]): Part[] {
  const items = lines.map((line) => ITEM.exec(line));
  const indents = items.filter((m) => m).map((m) => m![1]!.replace(/\t/g, '    ').length);
  if (indents.length < 2) return [];
  const top = Math.min(...indents);
  const parts: Array<{ lines: string[] }> = [];
  let current: { lines: string[] } | undefined;
  let blank = false;
  lines.forEach((line, index) => {
    const match = items[index];
    if (match && match[1]!.replace(/\t/g, '    ').length === top) {
      parts.push((current = { lines: [match[2]!] }));
      blank = false;
    } else if (current) {
      if (line.trim() === '') blank = true;
      // After a blank line, unindented text that is not an item ends the list.
      else if (blank && !/^\s/.test(line) && !match) current = undefined;
      else current.lines.push(line.replace(/^\s{1,4}/, ''));
    }
  });
  if (parts.length < 2) return [];
  return parts.map((part) => ({ title: part.lines[0]!.trim(), body: part.lines.join('\n').trim() }));
}

function thenParts(text: string): Part[] {
  const steps = splitOnThen(text.replace(/\s+/g, ' ').trim());
  return steps.length < 2 ? [] : steps.map((step, index) => ({ title: step, body: index === 0 ? step : `Then ${step.charAt(0).toLowerCase()}${step.slice(1)}` }));
}

function titleOf(text: string): string {
  const first = text.split('\n')[0]!.replace(/[*_`]+/g, '').trim();
  const short = first.length > 80 ? `${first.slice(0, 77).replace(/\s+\S*$/, '')}…` : first;
  return short.replace(/[:.]+$/, '');
}

/** Returns [] when the text has no outline to split (one heading, one item, no "then"). */
export function outlineSubtasks(task: string): ProposedSubtask[] {
  const lines = task.replace(/\r\n?/g, '\n').split('\n');
  const parts = headingParts(lines);
  const chosen = parts.length >= 2 ? parts : listParts(lines);
  const final = chosen.length >= 2 ? chosen : thenParts(task);
  if (final.length < 2) return [];
  const taken = new Set<string>();
  const cues = final.map((part) => ({ part, title: readCue(part.title), body: readCue(part.body) }));
  const ids = cues.map(({ title }, index) => uniqueId(slugify(titleOf(title.text), `step-${index + 1}`), taken));
  return cues.map(({ part, title, body }, index) => {
    // A section's heading or a list item's first words carry the sequencing ("Then …", "Finally …", "after step 2").
    const cue = title.kind !== 'none' ? title : body;
    const instructions = (body.text || title.text || part.title).trim();
    return {
      id: ids[index]!,
      title: titleOf(title.text) || `Step ${index + 1}`,
      instructions,
      dependsOn: final === chosen ? dependenciesFor(cue, index, ids) : index === 0 ? [] : [ids[index - 1]!],
    };
  });
}
