// spin-up:kubernetes against a local server speaking the Kubernetes API: the exact Job manifest and headers, teardown by
// deleting the Job (propagationPolicy Background), health as a version and namespace read, API errors with their message.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubernetesSpinUp } from '../../plugins/spin-up/kubernetes/index.js';
import { needFor, startSpinUpFabric, until, type SpinUpFabric } from './harness.js';
import { kubeconfig, startKubeApi, type FakeKubeApi } from './kube-api.js';

const TOKEN = 'kube-token-7f3a9c';
let fabric: SpinUpFabric;
let api: FakeKubeApi;
let kubeconfigPath: string;

beforeAll(async () => {
  api = await startKubeApi({ token: TOKEN, namespaces: ['agents', 'default'], forbidden: ['locked'] });
  fabric = await startSpinUpFabric({ projectId: 'spin-kube', plugins: [kubernetesSpinUp], managerOptions: { registerTimeoutMs: 1_500 } });
  kubeconfigPath = join(fabric.dir, 'kubeconfig.yaml');
  writeFileSync(kubeconfigPath, kubeconfig(api, TOKEN));
});
afterAll(async () => {
  delete process.env.LOOM_TEST_KUBECONFIG;
  await fabric?.stop();
  await api?.close();
});

describe('spin-up:kubernetes', () => {
  it('creates a batch/v1 Job with the image, command, env, resources, TTL and labels, and deletes it when the agent never registers', async () => {
    const target = await fabric.target({
      id: 'gke_pool',
      mechanism: 'kubernetes',
      capabilities: ['k8s-build'],
      config: {
        kubeconfigPath,
        namespace: 'agents',
        image: 'ghcr.io/acme/loom-agent:1.4',
        command: ['loom', 'agent', '--capability', 'k8s-build', '--', 'make', 'test'],
        env: { LOG_LEVEL: 'info' },
        secretEnv: { NATS_TOKEN: { secret: 'nats', key: 'token' } },
        resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '2', memory: '1Gi' } },
        ttlSecondsAfterFinished: 300,
        labels: { team: 'infra' },
      },
    });
    await fabric.offer('k8s-1', 'k8s-build');
    const attempt = await fabric.service.request(needFor(fabric.projectId, 'k8s-1', 'k8s-build', [target]));
    expect(attempt).toMatchObject({ outcome: 'started', mechanism: 'kubernetes' });
    const agentId = attempt.agentId!;
    const name = `loom-gke-pool-${agentId.slice(0, 12)}`;

    const create = api.requests.find((r) => r.method === 'POST')!;
    expect(create.path).toBe('/apis/batch/v1/namespaces/agents/jobs');
    expect(create.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(create.headers['content-type']).toMatch(/^application\/json/);
    const labels = { team: 'infra', app: 'loominal', 'loominal.dev/project': 'spin-kube', 'loominal.dev/target': 'gke_pool', 'loominal.dev/agent-id': agentId };
    expect(create.body).toEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace: 'agents', labels },
      spec: {
        ttlSecondsAfterFinished: 300,
        backoffLimit: 0,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'Never',
            containers: [
              {
                name: 'agent',
                image: 'ghcr.io/acme/loom-agent:1.4',
                command: ['loom', 'agent', '--capability', 'k8s-build', '--', 'make', 'test'],
                env: [
                  { name: 'LOG_LEVEL', value: 'info' },
                  { name: 'NATS_URL', value: fabric.nats.url },
                  { name: 'LOOMINAL_PROJECT_ID', value: 'spin-kube' },
                  { name: 'LOOMINAL_AGENT_ID', value: agentId },
                  { name: 'LOOMINAL_STARTED_BY', value: 'gke_pool' },
                  { name: 'LOOMINAL_SPIN_UP_OPERATION', value: attempt.operationId },
                  { name: 'LOOMINAL_SPIN_UP_TARGET_NAME', value: 'gke_pool' },
                  { name: 'NATS_TOKEN', valueFrom: { secretKeyRef: { name: 'nats', key: 'token' } } },
                ],
                resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '2', memory: '1Gi' } },
              },
            ],
          },
        },
      },
    });
    const [spawned] = await fabric.service.listSpawned!(fabric.projectId, { targetId: 'gke_pool' });
    expect(spawned!.handle).toEqual({ namespace: 'agents', job: name, uid: 'uid-1', agentId });

    // Nothing in this "cluster" runs the pod, so the agent never registers: the Job is deleted to free the slot.
    const remove = await until(() => api.requests.find((r) => r.method === 'DELETE'), () => 'the Job to be deleted', 15_000);
    expect(remove.path).toBe(`/apis/batch/v1/namespaces/agents/jobs/${name}`);
    expect(remove.query.propagationPolicy).toBe('Background');
    expect(remove.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const stopped = await until(async () => (await fabric.service.listAttempts!(fabric.projectId, { targetId: 'gke_pool' })).find((a) => a.stoppedAt), () => 'the attempt to record the teardown');
    expect(stopped.stopReason).toBe('never registered within 1500 ms; torn down by kubernetes');
  });

  it('reads an inline kubeconfig from an environment variable; its health check reads the version and the namespace', async () => {
    process.env.LOOM_TEST_KUBECONFIG = kubeconfig(api, TOKEN);
    const ok = await fabric.service.test(await fabric.target({ id: 'inline', mechanism: 'kubernetes', config: { kubeconfigEnv: 'LOOM_TEST_KUBECONFIG', namespace: 'agents', image: 'busybox' } }));
    expect(ok).toEqual({ ok: true, detail: `Kubernetes v1.30.2 at ${api.url}; namespace agents exists` });
    const missing = await fabric.service.test(await fabric.target({ id: 'nowhere', mechanism: 'kubernetes', config: { kubeconfigPath, namespace: 'nope', image: 'busybox' } }));
    expect(missing).toEqual({ ok: false, detail: 'LOOM_ERR_SPIN_UP_FAILED: kubernetes: reading namespace nope: HTTP 404: namespaces "nope" not found' });
  });

  it('reports the API server’s own message when it refuses the Job, and keeps nothing counted', async () => {
    const target = await fabric.target({ id: 'locked', mechanism: 'kubernetes', capabilities: ['k8s-locked'], config: { kubeconfigPath, namespace: 'locked', image: 'busybox' } });
    const attempt = await fabric.service.spinUp(target, { reason: 'forbidden test' });
    expect(attempt).toMatchObject({ outcome: 'failed', error: expect.stringContaining('LOOM_ERR_SPIN_UP_FAILED: kubernetes: creating Job loom-locked-') });
    expect(attempt.error).toContain('in namespace locked: HTTP 403: jobs.batch is forbidden: User "tester" cannot create resource "jobs"');
    expect(await fabric.service.listSpawned!(fabric.projectId, { targetId: 'locked' })).toEqual([]);
  });

  it('a wrong token is an error, and the token never shows in it', async () => {
    const path = join(fabric.dir, 'wrong-kubeconfig.yaml');
    writeFileSync(path, kubeconfig(api, 'not-the-token'));
    const result = await fabric.service.test(await fabric.target({ id: 'bad-token', mechanism: 'kubernetes', config: { kubeconfigPath: path, image: 'busybox' } }));
    expect(result).toEqual({ ok: false, detail: `LOOM_ERR_SPIN_UP_FAILED: kubernetes: reading the server version at ${api.url}: HTTP 401: Unauthorized` });
  });
});
