// The OpenAPI 3.1 document, generated with zod-openapi from the very schemas the routes validate with.
import { createDocument, type oas31, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { z } from 'zod';
import type { WeftHttpRoute, WeftOperationInfo } from '../../../core/index.js';
import { errorBodySchema } from '../schemas/common.js';
import { querySchemaOf } from './routes.js';

const errorResponses = {
  '400': 'Invalid input: the message names the field and the rule',
  '401': 'Missing or invalid bearer token',
  '403': 'The token may not access this project',
  '404': 'Not found',
  '409': 'Conflict with the current state',
  '413': 'Request body too large',
  '429': 'Rate limit exceeded (see Retry-After)',
  '503': 'No weft instance holds the lease, or NATS is unreachable',
};

const errorContent = (description: string) => ({ description, content: { 'application/json': { schema: errorBodySchema } } });

/** A route that is not an operation: /health, /api/openapi.json, /api/events, and routes other plugins add. */
export interface DocumentedRoute {
  method: WeftHttpRoute['method'];
  path: string;
  summary: string;
  contentType: string;
  secured: boolean;
  query?: z.ZodObject;
}

export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

export function buildOpenApi(operations: ReadonlyArray<WeftOperationInfo>, extra: ReadonlyArray<DocumentedRoute>, info: { version: string; secured: boolean }): oas31.OpenAPIObject {
  const paths: ZodOpenApiPathsObject = {};
  const security = info.secured ? [{ bearer: [] }] : [];
  for (const op of operations) {
    const operation: ZodOpenApiOperationObject = {
      operationId: op.id,
      summary: op.summary,
      tags: [op.area],
      description: op.scope === 'global' ? `NATS: coord.global.${op.verb}` : `NATS: coord.<projectId>.${op.area}.${op.verb}`,
      requestParams: { query: querySchemaOf(op), ...(op.params ? { path: op.params } : {}) },
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: op.body } } } } : {}),
      responses: {
        [String(op.successStatus)]: { description: 'OK', content: { 'application/json': { schema: op.output } } },
        ...Object.fromEntries(Object.entries(errorResponses).map(([status, description]) => [status, errorContent(description)])),
      },
      security,
    };
    (paths[op.path] ??= {})[op.method] = operation;
  }
  for (const route of extra) {
    const path = openApiPath(route.path);
    (paths[path] ??= {})[route.method] = {
      summary: route.summary,
      tags: ['service'],
      ...(route.query ? { requestParams: { query: route.query } } : {}),
      responses: {
        '200': { description: 'OK', content: { [route.contentType]: { schema: route.contentType === 'application/json' ? { type: 'object' } : { type: 'string' } } } },
        ...(route.secured ? { '401': errorContent(errorResponses['401']) } : {}),
      },
      security: route.secured ? security : [],
    };
  }
  return createDocument({
    openapi: '3.1.0',
    info: { title: 'Loominal weft', version: info.version, description: 'The weft coordinator: agents, work, targets, statistics, dead letters and orchestrations of every project on the NATS server.' },
    paths,
    components: info.secured ? { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } } : {},
  });
}
