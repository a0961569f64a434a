// weft:dashboard — the web page at / (agents, queues, work, dead letters, targets and spin-ups, orchestrations), live
// from /api/events. The page and its modules hold no data and need no token; every API call it makes does.
import { definePlugin, weftHttpService, type WeftHttpResponse } from '../../../core/index.js';
import { findAssetsDir, loadAssets, type Asset } from './assets-dir.js';

/** No inline script or style, no third-party origin: the page is only what weft serves. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

function serve(asset: Asset | undefined, ifNoneMatch: string | string[] | undefined): WeftHttpResponse {
  if (!asset) return { status: 404, contentType: 'application/json', body: { error: { code: 'LOOM_ERR_NOT_FOUND', message: 'no such dashboard file' } } };
  const headers = { ETag: asset.etag, 'Cache-Control': 'no-cache', 'Content-Security-Policy': CSP };
  if (ifNoneMatch === asset.etag) return { status: 304, headers, body: '' };
  return { contentType: asset.contentType, headers, body: asset.body };
}

export const weftDashboard = definePlugin({
  name: 'weft:dashboard',
  uses: [weftHttpService],
  setup(ctx) {
    const assets = loadAssets(findAssetsDir());
    const http = ctx.use(weftHttpService);
    http.addRoute({ method: 'get', path: '/', auth: 'open', summary: 'The dashboard (a web page; its API calls need a token when API_TOKENS is set)', contentType: 'text/html', handle: (req) => serve(assets.get('index.html'), req.headers['if-none-match']) });
    http.addRoute({ method: 'get', path: '/assets/:file', auth: 'open', summary: 'The dashboard’s scripts and styles', contentType: 'text/javascript', handle: (req) => serve(assets.get(req.params.file ?? ''), req.headers['if-none-match']) });
    http.addRoute({ method: 'get', path: '/assets/views/:file', auth: 'open', summary: 'The dashboard’s panel modules', contentType: 'text/javascript', handle: (req) => serve(assets.get(`views/${req.params.file ?? ''}`), req.headers['if-none-match']) });
    ctx.log.debug({ files: assets.size }, 'dashboard assets loaded');
  },
});
