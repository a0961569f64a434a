// Every route the REST server mounts is in its OpenAPI document, including routes other plugins add.
import { describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../core/log.js';
import type { WeftService } from '../../core/index.js';
import { weftOperations } from '../../plugins/weft/index.js';
import { createApiApp } from '../../plugins/weft/api/server.js';
import { apiOptionsSchema } from '../../plugins/weft/api/options.js';
import { parseTokens } from '../../plugins/weft/api/tokens.js';
import { openApiPath } from '../../plugins/weft/api/openapi.js';

const stubWeft: WeftService = {
  instanceId: 'stub',
  defaultProjectId: 'stub',
  operations: weftOperations,
  isLeader: () => true,
  onLeadershipChange: () => () => undefined,
  call: async () => ({}),
  subscribe: async () => () => undefined,
  health: () => ({ status: 'ok', instanceId: 'stub', leader: true, natsConnected: true, projects: 0 }),
};

describe('the OpenAPI document', () => {
  it('documents every mounted route with its method, and nothing that is not mounted', () => {
    const { router, openapi } = createApiApp({
      weft: stubWeft,
      options: apiOptionsSchema.parse({ openHealth: false }),
      tokens: parseTokens('doc-token-0001'),
      extraRoutes: [{ method: 'get', path: '/metrics', auth: 'gated', summary: 'Prometheus metrics', contentType: 'text/plain', handle: () => ({ body: '' }) }],
      log: createSilentLogger(),
    });
    const mounted = router.stack.flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m.toLowerCase()} ${openApiPath(String(layer.path))}`)).sort();
    const documented = Object.entries(openapi.paths ?? {}).flatMap(([path, item]) => Object.keys(item as object).map((m) => `${m} ${path}`)).sort();
    expect(documented).toEqual(mounted);
    // /health, /api/openapi.json, /api/events, /api/events/ticket and the extra /metrics.
    expect(mounted).toHaveLength(weftOperations.length + 5);
    expect(openapi.paths?.['/metrics']?.get?.security).toEqual([{ bearer: [] }]);
    expect(openapi.components?.securitySchemes).toHaveProperty('bearer');
    const query = (openapi.paths?.['/api/work']?.get?.parameters ?? []) as Array<{ name: string; in: string }>;
    expect(query.map((p) => p.name)).toEqual(expect.arrayContaining(['projectId', 'state', 'capability', 'limit', 'cursor']));
  });
});
