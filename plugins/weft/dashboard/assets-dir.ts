// The dashboard's static files, read once: plain ES modules and CSS shipped as they are (tsc copies no assets), found
// beside this module in the source tree or, from dist/, in the package's plugins/weft/dashboard/assets.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Asset {
  body: Buffer;
  contentType: string;
  etag: string;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.html': 'text/html; charset=utf-8', '.png': 'image/png', '.svg': 'image/svg+xml' };

export function findAssetsDir(): string {
  const candidates = [new URL('./assets/', import.meta.url), new URL('../../../../plugins/weft/dashboard/assets/', import.meta.url)].map((url) => fileURLToPath(url));
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) throw new Error(`weft:dashboard: its assets are missing; looked in ${candidates.join(' and ')}`);
  return found;
}

/** Every file under the directory by its path relative to it ("app.js", "views/work.js"). */
export function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const type = TYPES[name.slice(name.lastIndexOf('.'))];
        if (!type) continue;
        const body = readFileSync(path);
        assets.set(relative(dir, path).split(sep).join('/'), { body, contentType: type, etag: `"${createHash('sha1').update(body).digest('base64url')}"` });
      }
    }
  };
  walk(dir);
  return assets;
}
