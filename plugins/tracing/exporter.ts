// The OTLP hook: with OTEL_EXPORTER_OTLP_ENDPOINT set, spans go to a collector through the OpenTelemetry SDK. The SDK
// and the OTLP/HTTP exporter are optional dependencies: installed by default, but an install without them
// (--omit=optional) must still run, so they are imported at run time and their absence is only a warning.
import { trace } from '@opentelemetry/api';
import type { Logger } from '../../core/index.js';

export interface ExportSettings {
  env: Readonly<Record<string, string | undefined>>;
  log: Logger;
  serviceName: string;
  /** Module providing OTLPTraceExporter; replaceable for exporters of other protocols (grpc, proto). */
  exporterModule: string;
}

export interface RunningExport {
  endpoint: string;
  shutdown(): Promise<void>;
}

/** Loads a module by name at run time, so a missing optional package is a warning, not a crash at import. */
const load = (name: string): Promise<Record<string, unknown>> => import(name) as Promise<Record<string, unknown>>;

type Ctor = new (...args: unknown[]) => unknown;

export async function startOtlpExport(settings: ExportSettings): Promise<RunningExport | undefined> {
  const { env, log } = settings;
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return undefined;
  let sdk: Record<string, unknown>;
  let exporterModule: Record<string, unknown>;
  try {
    [sdk, exporterModule] = await Promise.all([load('@opentelemetry/sdk-trace-base'), load(settings.exporterModule)]);
  } catch (err) {
    log.warn(
      { err: err instanceof Error ? err.message : String(err), endpoint, exporterModule: settings.exporterModule },
      `OTEL_EXPORTER_OTLP_ENDPOINT is set but spans cannot be exported: install the optional packages (npm install @opentelemetry/sdk-trace-base ${settings.exporterModule}; an install with --omit=optional leaves them out); trace context is still propagated`,
    );
    return undefined;
  }
  const Exporter = exporterModule.OTLPTraceExporter as Ctor | undefined;
  const Provider = sdk.BasicTracerProvider as Ctor | undefined;
  const Processor = sdk.BatchSpanProcessor as Ctor | undefined;
  if (!Exporter || !Provider || !Processor) {
    log.warn({ exporterModule: settings.exporterModule }, 'the OTLP exporter module does not export OTLPTraceExporter (or the SDK lacks BasicTracerProvider); spans are not exported');
    return undefined;
  }
  const resource = await serviceResource(env.OTEL_SERVICE_NAME ?? settings.serviceName);
  const provider = new Provider({ ...(resource ? { resource } : {}), spanProcessors: [new Processor(new Exporter())] }) as { shutdown(): Promise<void> };
  trace.setGlobalTracerProvider(provider as never);
  log.info({ endpoint, serviceName: env.OTEL_SERVICE_NAME ?? settings.serviceName }, 'exporting spans over OTLP');
  return { endpoint, shutdown: () => provider.shutdown() };
}

/** service.name for the spans; the resources package ships with the SDK, so a failure only loses the name. */
async function serviceResource(serviceName: string): Promise<unknown> {
  try {
    const resources = await load('@opentelemetry/resources');
    const fromAttributes = resources.resourceFromAttributes as ((attributes: Record<string, string>) => unknown) | undefined;
    return fromAttributes?.({ 'service.name': serviceName });
  } catch {
    return undefined;
  }
}
