// spin-up:github-actions — starts an agent as a workflow run (workflow_dispatch over the REST API).
import { defineSpinUp, LoomError } from '../../../core/index.js';
import { secretFromEnv } from '../shared/env-schema.js';
import { excerpt, httpCall } from '../shared/http.js';
import { renderTemplate, spinUpVars } from '../shared/template.js';
import { githubActionsTargetSchema, type GithubActionsTarget } from './schema.js';

function request(target: GithubActionsTarget, path: string) {
  const token = (() => {
    try {
      return secretFromEnv(process.env, target.tokenEnv, 'tokenEnv');
    } catch (err) {
      throw new LoomError('LOOM_ERR_SPIN_UP_FAILED', (err as Error).message, { field: 'tokenEnv' });
    }
  })();
  return {
    url: `${target.apiUrl.replace(/\/+$/, '')}${path}`,
    headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'user-agent': 'loominal-weft' },
  };
}

const workflowPath = (t: GithubActionsTarget) => `/repos/${encodeURIComponent(t.owner)}/${encodeURIComponent(t.repo)}/actions/workflows/${encodeURIComponent(t.workflow)}`;

function answerProblem(status: number, text: string, what: string): LoomError {
  const message = (() => {
    try {
      return (JSON.parse(text) as { message?: string }).message ?? excerpt(text);
    } catch {
      return excerpt(text);
    }
  })();
  const hint = status === 401 ? ' (the token in tokenEnv is not valid)' : status === 403 ? ' (the token lacks actions: write, or a rate limit was hit)' : status === 404 ? ' (no such repository or workflow, or the token cannot see it)' : status === 422 ? ' (the workflow has no workflow_dispatch trigger, the ref does not exist, or an input is not declared)' : '';
  return new LoomError('LOOM_ERR_SPIN_UP_FAILED', `${what}: GitHub answered ${status}${message ? `: ${message}` : ''}${hint}`, { status });
}

export const githubActionsSpinUp = defineSpinUp({
  name: 'spin-up:github-actions',
  target: githubActionsTargetSchema,
  async start(req) {
    const { target, log, signal } = req;
    const vars = spinUpVars({ ...req, env: target.natsUrl ? { ...req.env, NATS_URL: target.natsUrl } : req.env });
    const inputs = Object.fromEntries(Object.entries(target.inputs).map(([name, template]) => [name, renderTemplate(template, vars)]));
    const { url, headers } = request(target, `${workflowPath(target)}/dispatches`);
    const what = `dispatching ${target.owner}/${target.repo} workflow ${target.workflow} on ${target.ref}`;
    const answer = await httpCall({ what, url, method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ ref: target.ref, inputs }), timeoutMs: target.timeoutMs, signal });
    if (answer.status !== 204 && answer.status !== 200) throw answerProblem(answer.status, answer.text, what);
    log.info({ operationId: req.operationId, targetId: req.targetId, repo: `${target.owner}/${target.repo}`, workflow: target.workflow, ref: target.ref, agentId: vars.agentId }, 'workflow dispatched');
    return { handle: { owner: target.owner, repo: target.repo, workflow: target.workflow, ref: target.ref, agentId: vars.agentId, dispatchedAt: new Date().toISOString() }, ...(vars.agentId ? { agentId: vars.agentId } : {}) };
  },
  async health({ target, signal }) {
    const { url, headers } = request(target, workflowPath(target));
    const what = `reading ${target.owner}/${target.repo} workflow ${target.workflow}`;
    const answer = await httpCall({ what, url, method: 'GET', headers, timeoutMs: target.timeoutMs, signal });
    if (answer.status !== 200) throw answerProblem(answer.status, answer.text, what);
    const state = (JSON.parse(answer.text) as { state?: string }).state;
    return state === 'active' ? { ok: true, detail: `workflow ${target.workflow} of ${target.owner}/${target.repo} is active` } : { ok: false, detail: `workflow ${target.workflow} of ${target.owner}/${target.repo} is ${state ?? 'in an unknown state'}` };
  },
});
