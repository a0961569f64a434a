// The config of a `kubernetes` target: the cluster (kubeconfig), the namespace and the Job's pod.
import { z } from 'zod';
import { agentEnv, envVarName, natsUrlOverride } from '../shared/env-schema.js';

const quantity = z.string().regex(/^[0-9]+(\.[0-9]+)?(m|k|Ki|M|Mi|G|Gi|T|Ti)?$/, { message: 'must be a Kubernetes quantity such as 500m, 1, 256Mi or 2Gi' });
const resourceList = z.strictObject({ cpu: quantity.optional(), memory: quantity.optional() });
const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { message: 'must be a DNS label: lowercase letters, digits and "-", at most 63 characters' });
const labelValue = z.string().regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/, { message: 'must be a label value: at most 63 letters, digits, "-", "_", "." (starting and ending with a letter or digit)' });
const labelKey = z.string().regex(/^([a-z0-9.-]{1,253}\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, { message: 'must be a label key such as team or example.com/team' });

export const kubernetesTargetSchema = z
  .strictObject({
    /** A kubeconfig file on weft's machine ("~/" is the home directory). */
    kubeconfigPath: z.string().min(1).optional(),
    /** Or: the name of an environment variable of weft that holds the kubeconfig itself (YAML). Neither: the default (KUBECONFIG, ~/.kube/config, in-cluster). */
    kubeconfigEnv: envVarName.optional(),
    /** A context of the kubeconfig (default: its current-context). */
    context: z.string().min(1).optional(),
    namespace: dnsLabel.default('default'),
    image: z.string().min(1).max(512).regex(/^\S+$/, { message: 'must be an image reference without spaces, e.g. ghcr.io/acme/agent:1.2' }),
    imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
    /** The container's command (its entrypoint) and args, e.g. ["loom", "agent", "--capability", "build", "--", "make"]. */
    command: z.array(z.string().min(1)).min(1).optional(),
    args: z.array(z.string()).optional(),
    env: agentEnv,
    /** Environment variables read from Kubernetes Secrets: { NATS_CREDS_TEXT: { secret: "nats", key: "creds" } }. */
    secretEnv: z.record(envVarName, z.strictObject({ secret: dnsLabel, key: z.string().min(1) })).default({}),
    natsUrl: natsUrlOverride,
    resources: z.strictObject({ requests: resourceList.optional(), limits: resourceList.optional() }).optional(),
    /** The finished Job (and its pod) is deleted by Kubernetes after this many seconds. */
    ttlSecondsAfterFinished: z.number().int().min(0).max(604_800).default(600),
    backoffLimit: z.number().int().min(0).max(10).default(0),
    activeDeadlineSeconds: z.number().int().min(1).optional(),
    serviceAccountName: dnsLabel.optional(),
    /** Extra labels on the Job and its pod (the loominal ones are always set). */
    labels: z.record(labelKey, labelValue).default({}),
    /** How long one API call may take. */
    timeoutMs: z.number().int().min(100).max(300_000).default(20_000),
  })
  .superRefine((target, ctx) => {
    if (target.kubeconfigPath !== undefined && target.kubeconfigEnv !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['kubeconfigEnv'], message: 'set kubeconfigPath or kubeconfigEnv, not both' });
    }
  });
export type KubernetesTarget = z.output<typeof kubernetesTargetSchema>;
