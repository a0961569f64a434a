// The batch/v1 Job that runs one agent: name, labels, env (NATS URL, project id, agent id), resources, TTL.
import type { V1Job } from '@kubernetes/client-node';
import type { KubernetesTarget } from './schema.js';

/** A label value from any string: at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric. */
function labelValue(value: string): string {
  return value.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

/** loom-<target>-<agent id prefix>: a valid, unique DNS name (target ids may hold "_", which Kubernetes names may not). */
export function jobName(targetId: string, agentId: string): string {
  const target = targetId.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 40).replace(/-+$/, '');
  return `loom-${target}-${agentId.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 12)}`.replace(/-+$/, '');
}

export function jobLabels(args: { projectId: string; targetId: string; agentId: string }, extra: Record<string, string>): Record<string, string> {
  return {
    ...extra,
    app: 'loominal',
    'loominal.dev/project': labelValue(args.projectId),
    'loominal.dev/target': labelValue(args.targetId),
    'loominal.dev/agent-id': labelValue(args.agentId),
  };
}

export function jobManifest(target: KubernetesTarget, args: { projectId: string; targetId: string; agentId: string; env: Record<string, string> }): V1Job {
  const name = jobName(args.targetId, args.agentId);
  const labels = jobLabels(args, target.labels);
  const env = [
    ...Object.entries(args.env).map(([envName, value]) => ({ name: envName, value })),
    ...Object.entries(target.secretEnv).map(([envName, ref]) => ({ name: envName, valueFrom: { secretKeyRef: { name: ref.secret, key: ref.key } } })),
  ];
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: target.namespace, labels },
    spec: {
      ttlSecondsAfterFinished: target.ttlSecondsAfterFinished,
      backoffLimit: target.backoffLimit,
      ...(target.activeDeadlineSeconds ? { activeDeadlineSeconds: target.activeDeadlineSeconds } : {}),
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          ...(target.serviceAccountName ? { serviceAccountName: target.serviceAccountName } : {}),
          containers: [
            {
              name: 'agent',
              image: target.image,
              ...(target.imagePullPolicy ? { imagePullPolicy: target.imagePullPolicy } : {}),
              ...(target.command ? { command: target.command } : {}),
              ...(target.args ? { args: target.args } : {}),
              env,
              ...(target.resources ? { resources: target.resources } : {}),
            },
          ],
        },
      },
    },
  };
}
