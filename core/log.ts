// pino, JSON to stderr (stdout belongs to the MCP protocol), with secrets redacted.
import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

const redactPaths = [
  'token', 'password', 'pass', 'secret', 'authorization', 'apiKey', 'creds',
  '*.token', '*.password', '*.pass', '*.secret', '*.authorization', '*.apiKey', '*.creds',
  'headers.authorization', 'headers.Authorization', '*.headers.authorization', '*.headers.Authorization',
];

export interface LogOptions {
  level?: string;
  component?: string;
  /** Defaults to stderr (fd 2). */
  destination?: NodeJS.WritableStream | number;
}

export function createLogger(options: LogOptions = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  const dest = options.destination ?? 2;
  const stream = typeof dest === 'number' ? pino.destination({ dest, sync: true }) : dest;
  return pino(
    {
      level,
      base: { component: options.component ?? 'loom' },
      redact: { paths: redactPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    stream,
  );
}

/** A logger that drops everything, for tests that do not read logs. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
