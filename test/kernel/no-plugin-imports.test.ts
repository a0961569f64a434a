// The kernel has no import of any plugin (issue #2): no core/ file reaches into plugins/, presets/ or cli/, by a
// value import, a type import, a re-export or an import().
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computedImportsOf, importsOf, repoRoot, resolveImport, tsFilesUnder } from '../fixtures/imports.js';

const OUTSIDE_THE_KERNEL = /^(plugins|presets|cli)\//;
const sourceOf = (file: string) => readFileSync(resolve(repoRoot, file), 'utf8');

describe('the kernel boundary', () => {
  it('the walker sees every form of import a core file could reach a plugin with', () => {
    const source = [
      "import { a } from '../../plugins/warp/a.js';",
      "import {\n  b,\n  type C,\n} from '../../presets/warp.js';",
      "import type { T } from '../../cli/t.js';",
      "export * from '../../plugins/y.js';",
      "export { d } from '../../plugins/z.js';",
      "import '../../plugins/side-effect.js';",
      "const lazy = await import('../../plugins/lazy.js');",
      'type Typed = typeof import("../../cli/typed.js");',
      'const tpl = await import(`../../presets/tpl.js`);',
      "const pkg = await import('jiti');",
      'const computed = await import(pathOf(name));',
    ].join('\n');
    expect(importsOf(source).map((ref) => `${ref.kind} ${resolveImport('core/services/fake.ts', ref.specifier) ?? ref.specifier}`)).toEqual([
      'value plugins/warp/a.ts',
      'value presets/warp.ts',
      'type cli/t.ts',
      'value plugins/y.ts',
      'value plugins/z.ts',
      'value plugins/side-effect.ts',
      'dynamic plugins/lazy.ts',
      'dynamic cli/typed.ts',
      'dynamic presets/tpl.ts',
      'dynamic jiti',
    ]);
    expect(computedImportsOf(source)).toEqual(['pathOf(name));']);
  });

  it('no file under core/ imports anything under plugins/, presets/ or cli/', () => {
    const files = tsFilesUnder('core');
    const refs = files.flatMap((file) => importsOf(sourceOf(file)).map((ref) => ({ file, ...ref, target: resolveImport(file, ref.specifier) })));
    // The walk saw the kernel, not an empty folder: dozens of files, hundreds of imports between them.
    expect(files.length).toBeGreaterThan(40);
    expect(refs.filter((ref) => ref.target?.startsWith('core/')).length).toBeGreaterThan(100);
    expect(refs.filter((ref) => ref.target !== undefined && OUTSIDE_THE_KERNEL.test(ref.target)).map((ref) => `${ref.file}: ${ref.kind} import of ${ref.specifier}`)).toEqual([]);
  });

  it('every import() under core/ names its module literally, so none can load a plugin the walk cannot see', () => {
    expect(tsFilesUnder('core').flatMap((file) => computedImportsOf(sourceOf(file)).map((rest) => `${file}: import(${rest}`))).toEqual([]);
  });
});
