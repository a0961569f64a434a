// The config of a `webhook` target: a templated HTTP request that asks something else to start an agent.
import { z } from 'zod';
import { natsUrlOverride } from '../shared/env-schema.js';
import { jsonTemplateIssues, templateProblem, templateString } from '../shared/template.js';

const httpUrlTemplate = templateString().superRefine((text, ctx) => {
  if (!/^https?:\/\/[^\s{}]+/.test(text)) ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL; {{variables}} may appear after the host' });
});

/** A request: the URL and body are templates ({{workId}}, {{agentId}}, …); header values may also read weft's env: {{env.NAME}}. */
const requestSchema = z.strictObject({
  url: httpUrlTemplate,
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('POST'),
  headers: z.record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, { message: 'must be an HTTP header name' }), templateString({ allowEnv: true })).default({}),
  /** A JSON value whose strings are templates (sent as JSON), or a template string sent as it is. Default: the spin-up's fields as JSON. */
  body: z
    .unknown()
    .superRefine((body, ctx) => {
      if (typeof body === 'string') {
        const problem = templateProblem(body);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      } else for (const issue of jsonTemplateIssues(body)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    })
    .optional(),
  /** Answers that mean "it worked". */
  successCodes: z.array(z.number().int().min(100).max(599)).min(1).default([200, 201, 202, 204]),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
});

export const webhookTargetSchema = requestSchema.extend({
  natsUrl: natsUrlOverride,
  /** Called to tear an agent down (idle scale-down); without it, the agent's shutdown request is all there is. */
  stop: requestSchema.optional(),
  /** Called by POST /api/targets/:id/test; without it, the test only checks that the URL's host answers. */
  health: requestSchema.partial({ url: true }).optional(),
});
export type WebhookTarget = z.output<typeof webhookTargetSchema>;
export type WebhookRequest = z.output<typeof requestSchema>;
