// The config of a `github-actions` target: which workflow to dispatch, on which ref, with which inputs and token.
import { z } from 'zod';
import { envVarName, natsUrlOverride } from '../shared/env-schema.js';
import { templateString } from '../shared/template.js';

export const githubActionsTargetSchema = z.strictObject({
  owner: z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, { message: 'must be a GitHub user or organization name' }),
  repo: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, { message: 'must be a repository name (letters, digits, ".", "_", "-")' }),
  /** The workflow file name (agent.yml) or its numeric id; it must declare `on: workflow_dispatch` with these inputs. */
  workflow: z.string().regex(/^([A-Za-z0-9._-]+\.ya?ml|[0-9]+)$/, { message: 'must be a workflow file name such as agent.yml, or a workflow id' }),
  ref: z.string().min(1).max(255).default('main'),
  /** workflow_dispatch inputs; values are templates: {{workId}}, {{capability}}, {{projectId}}, {{agentId}}, {{natsUrl}}, … */
  inputs: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,99}$/, { message: 'must be a workflow input name' }), templateString()).default({
    agent_id: '{{agentId}}',
    project_id: '{{projectId}}',
    capability: '{{capability}}',
    work_id: '{{workId}}',
  }),
  /** The name of an environment variable of weft that holds the token (needs actions: write on the repository). */
  tokenEnv: envVarName,
  /** GitHub Enterprise Server: https://github.example.com/api/v3. */
  apiUrl: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).default('https://api.github.com'),
  natsUrl: natsUrlOverride,
  timeoutMs: z.number().int().min(100).max(120_000).default(15_000),
});
export type GithubActionsTarget = z.output<typeof githubActionsTargetSchema>;
