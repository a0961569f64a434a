// The Kubernetes API clients of one target, from its kubeconfig (a file, an env var holding it, or the default lookup).
import { homedir } from 'node:os';
import type { KubeConfig } from '@kubernetes/client-node';
import { LoomError } from '../../../core/index.js';
import { secretFromEnv } from '../shared/env-schema.js';
import type { KubernetesTarget } from './schema.js';

// The client is ~40 MB and half a second to import: loaded on the first Kubernetes call, not by every weft.
let loading: Promise<typeof import('@kubernetes/client-node')> | undefined;
const k8s = () => (loading ??= import('@kubernetes/client-node'));

export async function kubeConfigOf(target: KubernetesTarget, env: Readonly<Record<string, string | undefined>> = process.env): Promise<KubeConfig> {
  const { KubeConfig } = await k8s();
  const kc = new KubeConfig();
  try {
    if (target.kubeconfigEnv) kc.loadFromString(secretFromEnv(env, target.kubeconfigEnv, 'kubeconfigEnv'));
    else if (target.kubeconfigPath) kc.loadFromFile(target.kubeconfigPath.startsWith('~/') ? `${homedir()}${target.kubeconfigPath.slice(1)}` : target.kubeconfigPath);
    else kc.loadFromDefault();
    if (target.context) kc.setCurrentContext(target.context);
  } catch (err) {
    const field = target.kubeconfigEnv ? 'kubeconfigEnv' : target.kubeconfigPath ? 'kubeconfigPath' : 'kubeconfigPath (default lookup)';
    throw new LoomError('LOOM_ERR_SPIN_UP_FAILED', `${field}: cannot load the kubeconfig: ${err instanceof Error ? err.message : String(err)}`, { field });
  }
  if (!kc.getCurrentCluster()) throw new LoomError('LOOM_ERR_SPIN_UP_FAILED', `context: the kubeconfig has no cluster for context "${kc.getCurrentContext()}"`, { field: 'context' });
  return kc;
}

export async function clients(target: KubernetesTarget) {
  const { BatchV1Api, CoreV1Api, VersionApi } = await k8s();
  const kc = await kubeConfigOf(target);
  return { batch: kc.makeApiClient(BatchV1Api), core: kc.makeApiClient(CoreV1Api), version: kc.makeApiClient(VersionApi), server: kc.getCurrentCluster()!.server };
}

/** An API call within the target's timeout; an API error becomes LOOM_ERR_SPIN_UP_FAILED with the server's own message. */
export async function kubeCall<T>(what: string, timeoutMs: number, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LoomError('LOOM_ERR_TIMEOUT', `kubernetes: ${what}: no answer within ${timeoutMs} ms (timeoutMs)`)), timeoutMs);
  });
  try {
    return await Promise.race([call(), timeout]);
  } catch (err) {
    if (err instanceof LoomError) throw err;
    const { ApiException } = await k8s();
    if (err instanceof ApiException) {
      const body = typeof err.body === 'string' ? safeJson(err.body) : err.body;
      // The generated client drops the body of some answers (401) and keeps only its own short message.
      const generated = /^Message: (.*)$/m.exec(err.message)?.[1];
      const message = (body as { message?: string } | undefined)?.message ?? (generated && generated !== 'Unknown API Status Code!' ? generated : String(err.body ?? '').slice(0, 300));
      throw new LoomError('LOOM_ERR_SPIN_UP_FAILED', `kubernetes: ${what}: HTTP ${err.code}${message ? `: ${message}` : ''}`, { status: err.code });
    }
    throw new LoomError('LOOM_ERR_SPIN_UP_FAILED', `kubernetes: ${what}: ${err instanceof Error ? err.message : String(err)}`, undefined, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 300) };
  }
}

export const isNotFound = (err: unknown) => err instanceof LoomError && err.details?.status === 404;
