// The OTLP hook and the traceparent rules: a missing exporter package is a warning that names what to install, no
// endpoint means no export at all; malformed trace context is ignored, never passed on.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createKernel, createLogger, formatTraceparent, parseTraceparent, producerTraceparent, traceIdOf } from '../../core/index.js';
import { parseConfig } from '../../core/config/load.js';
import { tracingPlugin } from '../../plugins/tracing/index.js';

async function startWithTracing(env: Record<string, string>): Promise<string> {
  let out = '';
  const destination = new Writable({
    write(chunk, _encoding, done) {
      out += String(chunk);
      done();
    },
  });
  const fullEnv = { LOOMINAL_PROJECT_ID: 'otlp-hook', LOOMINAL_AGENT_ID: 'e5'.repeat(16), ...env };
  const kernel = createKernel({ config: parseConfig({ logLevel: 'info' }, fullEnv), plugins: [{ plugin: tracingPlugin, origin: 'test' }], env: fullEnv, log: createLogger({ level: 'info', destination }) });
  await kernel.start();
  await kernel.stop();
  return out;
}

describe('the OTLP exporter hook', () => {
  it('warns with the packages to install when OTEL_EXPORTER_OTLP_ENDPOINT is set but no exporter is installed, and still starts', async () => {
    // The OTLP/HTTP exporter is an optional dependency, installed here: the gRPC one (a real alternative) is not.
    const log = await startWithTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', LOOM_OTEL_EXPORTER_MODULE: '@opentelemetry/exporter-trace-otlp-grpc' });
    expect(log).toContain('OTEL_EXPORTER_OTLP_ENDPOINT is set but spans cannot be exported');
    expect(log).toContain('npm install @opentelemetry/sdk-trace-base @opentelemetry/exporter-trace-otlp-grpc');
  });

  it('does nothing about export without an endpoint, or with OTEL_SDK_DISABLED', async () => {
    expect(await startWithTracing({})).not.toContain('OTLP');
    expect(await startWithTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' })).not.toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
  });
});

describe('traceparent', () => {
  const valid = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

  it('reads and writes W3C version 00 and refuses anything malformed', () => {
    const parsed = parseTraceparent(valid)!;
    expect(parsed).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1, isRemote: true });
    expect(formatTraceparent(parsed)).toBe(valid);
    expect(traceIdOf(valid)).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    for (const bad of ['', 'garbage', valid.toUpperCase(), valid.replace(/^00/, 'ff'), `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`, `00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`, `${valid}-extra`]) {
      expect(parseTraceparent(bad), bad).toBeUndefined();
    }
  });

  it('passes a received trace context on unchanged when no tracer is registered, and invents none', () => {
    expect(producerTraceparent('loom.work.offer', {}, valid)).toBe(valid);
    expect(producerTraceparent('loom.work.offer', {}, 'not-a-traceparent')).toBeUndefined();
    expect(producerTraceparent('loom.work.offer', {})).toBeUndefined();
  });
});
