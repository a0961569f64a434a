// spin-up:webhook — asks any HTTP service to start an agent, with a templated URL, headers and body.
import { defineSpinUp } from '../../../core/index.js';
import { redactUrl } from '../shared/http.js';
import { spinUpVars, type TemplateVars } from '../shared/template.js';
import { webhookTargetSchema } from './schema.js';
import { sendWebhook } from './send.js';

const HANDLE_VARS = ['operationId', 'projectId', 'targetId', 'targetName', 'workId', 'capability', 'agentId', 'natsUrl'] as const;

export const webhookSpinUp = defineSpinUp({
  name: 'spin-up:webhook',
  target: webhookTargetSchema,
  async start(req) {
    const { target, log, signal } = req;
    const vars = spinUpVars({ ...req, env: target.natsUrl ? { ...req.env, NATS_URL: target.natsUrl } : req.env });
    const answer = await sendWebhook(target, vars, `webhook target ${req.targetId}`, signal);
    log.info({ operationId: req.operationId, targetId: req.targetId, url: redactUrl(target.url), status: answer.status, agentId: vars.agentId }, 'webhook accepted the spin-up');
    // The variables are kept so the stop request can use the same {{agentId}}, {{workId}}, … after a restart.
    return { handle: { status: answer.status, vars }, ...(vars.agentId ? { agentId: vars.agentId } : {}) };
  },
  async stop({ handle, target, log }) {
    if (!target.stop) return;
    const saved = (handle.vars ?? {}) as Partial<TemplateVars>;
    const vars = Object.fromEntries(HANDLE_VARS.map((name) => [name, String(saved[name] ?? '')])) as TemplateVars;
    const answer = await sendWebhook(target.stop, vars, `webhook target ${vars.targetId} (stop)`);
    log.info({ url: redactUrl(target.stop.url), status: answer.status, agentId: vars.agentId }, 'webhook accepted the teardown');
  },
  async health({ target, signal }) {
    const vars = Object.fromEntries(HANDLE_VARS.map((name) => [name, ''])) as TemplateVars;
    const request = target.health ? { ...target.health, url: target.health.url ?? target.url } : { ...target, method: 'GET' as const, body: undefined, successCodes: Array.from({ length: 400 }, (_, i) => 100 + i) };
    const answer = await sendWebhook(request, vars, `webhook target health`, signal);
    return { ok: true, detail: `${request.method} ${redactUrl(request.url)} answered ${answer.status}` };
  },
});
