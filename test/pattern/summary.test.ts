// Unit tests of the recall summary: the byte budget holds for any content, and characters are never split.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildSummary, truncateBytes } from '../../plugins/pattern/summary.js';
import type { MemoryRecord } from '../../plugins/pattern/record.js';

function record(content: string, i: number): MemoryRecord {
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
  return { id: i.toString(16).padStart(32, '0'), agentId: 'a'.repeat(32), principal: 'p@h', projectId: 'p', scope: 'private', category: 'longterm', content, tags: ['t'], priority: 2, createdAt: at, updatedAt: at };
}

describe('recall summary', () => {
  it('never exceeds the byte budget, whatever the memories hold', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 2000 }), { maxLength: 40 }), fc.integer({ min: 256, max: 4096 }), (contents, budget) => {
        const summary = buildSummary('# header', [{ title: 'Long-term', records: contents.map(record) }], budget);
        expect(Buffer.byteLength(summary.text, 'utf8')).toBe(summary.bytes);
        expect(summary.bytes).toBeLessThanOrEqual(budget);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps sections in the given order and says how many memories did not fit', () => {
    const big = 'x'.repeat(30_000);
    const summary = buildSummary('# h', [
      { title: 'Core', records: [record(`core fact ${big}`, 1)] },
      { title: 'Recent', records: Array.from({ length: 50 }, (_, i) => record(`recent ${i} ${big}`, 10 + i)) },
    ], 4096);
    expect(summary.text.indexOf('## Core')).toBeLessThan(summary.text.indexOf('## Recent'));
    expect(summary.bytes).toBeLessThanOrEqual(4096);
    expect(summary.text).toMatch(/\(\d+ more not shown/);
    expect(summary.included).toBeLessThan(51);
  });

  it('cuts text on a character boundary', () => {
    const text = '😀'.repeat(100);
    const cut = truncateBytes(text, 50);
    expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(50);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).not.toContain('\uFFFD');
    expect([...cut.slice(0, -1)].every((ch) => ch === '😀')).toBe(true);
  });
});
