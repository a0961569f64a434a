// A local HTTPS server that speaks the Kubernetes API paths the kubernetes mechanism uses, and records every request.
// Its certificate is made by openssl for 127.0.0.1 and trusted through the kubeconfig, as a real cluster's CA would be.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KubeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface FakeKubeApi {
  url: string;
  /** PEM of the server's self-signed certificate: the kubeconfig's certificate-authority-data. */
  certificate: string;
  requests: KubeRequest[];
  close(): Promise<void>;
}

const status = (code: number, reason: string, message: string) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });

export async function startKubeApi(options: { token: string; namespaces: string[]; forbidden?: string[] }): Promise<FakeKubeApi> {
  const requests: KubeRequest[] = [];
  const jobs = new Map<string, Record<string, unknown>>();
  const dir = mkdtempSync(join(tmpdir(), 'loom-kube-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=kube-apiserver', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'pipe' });
  const certificate = readFileSync(join(dir, 'cert.pem'), 'utf8');
  const key = readFileSync(join(dir, 'key.pem'), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  const server = createServer({ cert: certificate, key }, (req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const body = raw ? JSON.parse(raw) : undefined;
      requests.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body });
      const answer = (code: number, value: unknown) => {
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.headers.authorization !== `Bearer ${options.token}`) return answer(401, status(401, 'Unauthorized', 'Unauthorized'));
      if (req.method === 'GET' && url.pathname === '/version') return answer(200, { major: '1', minor: '30', gitVersion: 'v1.30.2', platform: 'linux/amd64' });
      const ns = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && ns) {
        return options.namespaces.includes(ns[1]!) ? answer(200, { kind: 'Namespace', apiVersion: 'v1', metadata: { name: ns[1] }, status: { phase: 'Active' } }) : answer(404, status(404, 'NotFound', `namespaces "${ns[1]}" not found`));
      }
      const create = /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs$/.exec(url.pathname);
      if (req.method === 'POST' && create) {
        if (options.forbidden?.includes(create[1]!)) return answer(403, status(403, 'Forbidden', `jobs.batch is forbidden: User "tester" cannot create resource "jobs" in API group "batch" in the namespace "${create[1]}"`));
        const job = body as { metadata: { name: string } };
        if (jobs.has(`${create[1]}/${job.metadata.name}`)) return answer(409, status(409, 'AlreadyExists', `jobs.batch "${job.metadata.name}" already exists`));
        const stored = { ...job, metadata: { ...job.metadata, uid: `uid-${jobs.size + 1}`, creationTimestamp: new Date().toISOString() }, status: {} };
        jobs.set(`${create[1]}/${job.metadata.name}`, stored);
        return answer(201, stored);
      }
      const one = /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'DELETE' && one) {
        const key = `${one[1]}/${one[2]}`;
        if (!jobs.has(key)) return answer(404, status(404, 'NotFound', `jobs.batch "${one[2]}" not found`));
        jobs.delete(key);
        return answer(200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: one[2], group: 'batch', kind: 'jobs' } });
      }
      answer(404, status(404, 'NotFound', `the server could not find the requested resource (${req.method} ${url.pathname})`));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    certificate,
    requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

export function kubeconfig(api: Pick<FakeKubeApi, 'url' | 'certificate'>, token: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: test-cluster
  cluster:
    server: ${api.url}
    certificate-authority-data: ${Buffer.from(api.certificate).toString('base64')}
contexts:
- name: test
  context:
    cluster: test-cluster
    user: tester
current-context: test
users:
- name: tester
  user:
    token: ${token}
`;
}
