// The dashboard ships without a build step: its plain modules are found from the source tree and from dist/, every
// module they import is served, the package's "files" carries them, and no page script writes HTML from data.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findAssetsDir, loadAssets } from '../../plugins/weft/dashboard/assets-dir.js';

const ROOT = new URL('../../', import.meta.url);

describe('dashboard assets', () => {
  it('are found beside the source module and, from the compiled dist/ module, in the package', async () => {
    const fromSource = findAssetsDir();
    // Compiled by the test global setup: the module as the published package runs it.
    const compiled = (await import(new URL('dist/plugins/weft/dashboard/assets-dir.js', ROOT).href)) as { findAssetsDir(): string };
    expect(compiled.findAssetsDir()).toBe(fromSource);
    const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('plugins/weft/dashboard/assets');
  });

  it('serve every module the page and its modules import, with the right content types', () => {
    const assets = loadAssets(findAssetsDir());
    const html = assets.get('index.html')!.body.toString();
    const wanted = [...html.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((m) => m[1]!);
    for (const [path, asset] of assets) {
      if (!path.endsWith('.js')) continue;
      expect(asset.contentType).toBe('text/javascript; charset=utf-8');
      const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
      for (const [, spec] of asset.body.toString().matchAll(/from '(\.{1,2}\/[^']+)'/g)) wanted.push(new URL(spec!, `http://x/${dir}`).pathname.slice(1));
      // Data from the API becomes text nodes only.
      expect(asset.body.toString(), path).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    }
    expect(wanted.length).toBeGreaterThan(10);
    for (const path of wanted) expect(assets.has(path), `${path} is imported but not served`).toBe(true);
    expect(assets.get('style.css')!.contentType).toBe('text/css; charset=utf-8');
  });
});
