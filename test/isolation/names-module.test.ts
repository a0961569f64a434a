// One module builds every subject, stream, consumer and bucket name (issue #2): outside core/isolation/names.ts and
// jetstream-names.ts, no product code spells one by hand, by interpolation or as a wildcard pattern.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tsFilesUnder } from '../fixtures/imports.js';

const NAME_MODULES = ['core/isolation/names.ts', 'core/isolation/jetstream-names.ts'];
// A string or template literal that starts like one of our names or JetStream's: subjects loom.* and coord.*, the
// JetStream API, acks, flow control and KV subjects, KV and project streams, reply prefixes, scan consumers.
const NAME_LITERAL = /([`'"])((?:loom\.(?!config\b)|coord\.|\$JS\.|\$KV\.|KV_|LOOM_|_INBOX|scan_)[^`'"\n]*)\1/g;

/** Name literals that are built (`${…}`) or patterns (`*`, `>`); `<p>`-style placeholders mark text for people. */
function builtNames(source: string): string[] {
  const code = source
    .split('\n')
    .filter((line) => !/^\s*(\/\/|\/?\*)/.test(line))
    .join('\n');
  return [...code.matchAll(NAME_LITERAL)].map((match) => match[2]!).filter((text) => /\$\{|[*>]/.test(text) && !/<[a-zA-Z]+>/.test(text));
}

describe('the names module', () => {
  it('the scan finds a built subject, a KV stream, an API subject and a wildcard, and lets docs and span names pass', () => {
    const source = [
      'const a = `loom.${p}.work.*.*`;',
      'const b = jsm.streams.info(`KV_${name}`);',
      "nc.publish(`$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}`, data);",
      "const c = ['coord.global.>'];",
      "// publishes on `loom.${p}.channels.${channel}`",
      "withSpan('loom.work.offer', {});",
      "throw new Error(`operations: coord.<p>.${o.area}.${o.verb}`);",
      "const code = 'LOOM_ERR_NOT_FOUND';",
      'const consumer = { name: `scan_${nuid.next()}` };',
    ].join('\n');
    expect(builtNames(source)).toEqual(['loom.${p}.work.*.*', 'KV_${name}', '$JS.API.CONSUMER.MSG.NEXT.${stream}.${consumer}', 'coord.global.>', 'scan_${nuid.next()}']);
  });

  it('no file in core/, plugins/, presets/ or cli/ builds a subject, stream or bucket name outside it', () => {
    const files = ['core', 'plugins', 'presets', 'cli'].flatMap(tsFilesUnder).filter((file) => !file.endsWith('.test.ts') && !NAME_MODULES.includes(file));
    expect(files.length).toBeGreaterThan(200);
    const found = files.flatMap((file) => builtNames(readFileSync(resolve(repoRoot, file), 'utf8')).map((name) => `${file}: ${name}`));
    expect(found).toEqual([]);
  });
});
