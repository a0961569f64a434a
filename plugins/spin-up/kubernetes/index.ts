// spin-up:kubernetes — runs the agent as a batch/v1 Job through @kubernetes/client-node; stop deletes the Job.
import { defineSpinUp } from '../../../core/index.js';
import { agentEnvFor } from '../shared/env-schema.js';
import { clients, isNotFound, kubeCall } from './client.js';
import { jobManifest } from './job.js';
import { kubernetesTargetSchema } from './schema.js';

export const kubernetesSpinUp = defineSpinUp({
  name: 'spin-up:kubernetes',
  target: kubernetesTargetSchema,
  async start({ target, env, log, operationId, projectId, targetId }) {
    const agentId = env.LOOMINAL_AGENT_ID ?? operationId;
    const manifest = jobManifest(target, { projectId, targetId, agentId, env: { ...target.env, ...agentEnvFor(env, target.natsUrl) } });
    const { batch } = await clients(target);
    const name = manifest.metadata!.name!;
    const created = await kubeCall(`creating Job ${name} in namespace ${target.namespace}`, target.timeoutMs, () => batch.createNamespacedJob({ namespace: target.namespace, body: manifest }));
    log.info({ operationId, targetId, job: name, namespace: target.namespace, agentId, uid: created.metadata?.uid }, 'kubernetes Job created');
    return { handle: { namespace: target.namespace, job: name, uid: created.metadata?.uid ?? null, agentId }, agentId };
  },
  async stop({ handle, target, log }) {
    const name = String(handle.job);
    const namespace = String(handle.namespace ?? target.namespace);
    const { batch } = await clients(target);
    try {
      // Background: the Job goes at once and Kubernetes removes its pod after it.
      await kubeCall(`deleting Job ${name} in namespace ${namespace}`, target.timeoutMs, () => batch.deleteNamespacedJob({ name, namespace, propagationPolicy: 'Background' }));
      log.info({ job: name, namespace, agentId: handle.agentId }, 'kubernetes Job deleted');
    } catch (err) {
      if (!isNotFound(err)) throw err;
      log.info({ job: name, namespace }, 'kubernetes Job was already gone');
    }
  },
  async health({ target }) {
    const { core, version, server } = await clients(target);
    const info = await kubeCall(`reading the server version at ${server}`, target.timeoutMs, () => version.getCode());
    await kubeCall(`reading namespace ${target.namespace}`, target.timeoutMs, () => core.readNamespace({ name: target.namespace }));
    return { ok: true, detail: `Kubernetes ${info.gitVersion} at ${server}; namespace ${target.namespace} exists` };
  },
});
