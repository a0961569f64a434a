// pino, JSON to stderr (stdout belongs to the MCP protocol), with secrets redacted.
import { pino, type Logger as PinoLogger } from 'pino';
import { activeTraceFields } from './tracing.js';

export type Logger = PinoLogger;

const redactPaths = [
  'token', 'password', 'pass', 'secret', 'authorization', 'apiKey', 'creds',
  '*.token', '*.password', '*.pass', '*.secret', '*.authorization', '*.apiKey', '*.creds',
  'headers.authorization', 'headers.Authorization', '*.headers.authorization', '*.headers.Authorization',
  // an agent's Ed25519 signing key (LOOMINAL_SIGNING_KEY), should an env or a key pair ever reach a log line
  'privateKey', '*.privateKey', 'LOOMINAL_SIGNING_KEY', '*.LOOMINAL_SIGNING_KEY',
];

export interface LogOptions {
  level?: string;
  component?: string;
  /** Defaults to stderr (fd 2). */
  destination?: NodeJS.WritableStream | number;
  /** Fields on every line (the process's projectId and agentId) unless the line sets them itself. */
  context?: Readonly<Record<string, string>>;
}

export function createLogger(options: LogOptions = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  const dest = options.destination ?? 2;
  const stream = typeof dest === 'number' ? pino.destination({ dest, sync: true }) : dest;
  const context = options.context ?? {};
  return pino(
    {
      level,
      base: { component: options.component ?? 'loom' },
      redact: { paths: redactPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Through the mixin, not bindings: a line about another project (weft serves many) keeps its own projectId.
      // Lines written inside a span carry its ids, so logs of one work item can be found across processes.
      mixin: (_line, _level, logger) => ({ ...unbound(context, logger), ...activeTraceFields() }),
    },
    stream,
  );
}

/** The context fields a child logger has not bound itself (a key in both would be written twice). */
function unbound(context: Readonly<Record<string, string>>, logger: { bindings(): Record<string, unknown> }): Record<string, string> {
  const keys = Object.keys(context);
  if (!keys.length) return context;
  const bound = logger.bindings();
  return keys.some((key) => key in bound) ? Object.fromEntries(Object.entries(context).filter(([key]) => !(key in bound))) : context;
}

/** A logger that drops everything, for tests that do not read logs. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
