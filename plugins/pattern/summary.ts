// recall_context's summary: one line per memory, sections in priority order, never more than a byte budget (UTF-8).
import type { MemoryRecord } from './record.js';

export interface SummarySection {
  title: string;
  records: ReadonlyArray<MemoryRecord>;
  /** How many memories the section has when `records` holds only the first of them (default: records.length). */
  count?: number;
}

export interface Summary {
  text: string;
  bytes: number;
  /** Memories that got a line. */
  included: number;
}

const LINE_MAX_BYTES = 320;
const bytesOf = (text: string) => Buffer.byteLength(text, 'utf8');

/** The longest prefix of text that fits in maxBytes, cut on a character boundary, with "…" when cut. */
export function truncateBytes(text: string, maxBytes: number): string {
  if (bytesOf(text) <= maxBytes) return text;
  const room = maxBytes - bytesOf('…');
  let used = 0;
  let out = '';
  for (const ch of text) {
    const size = bytesOf(ch);
    if (used + size > room) break;
    used += size;
    out += ch;
  }
  return `${out}…`;
}

function line(record: MemoryRecord): string {
  const flat = record.content.slice(0, LINE_MAX_BYTES * 2).replace(/\s+/g, ' ').trim();
  const tags = record.tags.length ? ` [${record.tags.join(', ')}]` : '';
  const shared = record.sharedBy ? ' (shared)' : '';
  return `- ${truncateBytes(flat, LINE_MAX_BYTES)}${tags}${shared}\n`;
}

export function buildSummary(header: string, sections: ReadonlyArray<SummarySection>, maxBytes: number): Summary {
  const total = sections.reduce((sum, section) => sum + (section.count ?? section.records.length), 0);
  // Room is kept for the trailer that says how much did not fit, so the summary never ends mid-thought.
  const trailerRoom = 80;
  let text = truncateBytes(`${header}\n`, maxBytes - trailerRoom);
  let used = bytesOf(text);
  let included = 0;
  let full = false;
  for (const section of sections) {
    if (full || section.records.length === 0) continue;
    const heading = `\n## ${section.title}\n`;
    let wroteHeading = false;
    for (const record of section.records) {
      const next = line(record);
      const cost = bytesOf(next) + (wroteHeading ? 0 : bytesOf(heading));
      if (used + cost > maxBytes - trailerRoom) {
        full = true;
        break;
      }
      if (!wroteHeading) text += heading;
      wroteHeading = true;
      text += next;
      used += cost;
      included += 1;
    }
  }
  if (total === 0) text += '\n(no memories yet)\n';
  else if (included < total) text += `\n(${total - included} more not shown: see "memories" or use search_memories)\n`;
  return { text, bytes: bytesOf(text), included };
}
