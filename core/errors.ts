// The LOOM_ERR_* catalogue: every error a user or plugin author can meet has a code listed here and in docs/errors.md.
import { isNatsTimeout, isPermissionViolation } from './nats/nats-errors.js';

export const errorCodes = {
  LOOM_ERR_MALFORMED_PLUGIN: 'a plugin object does not have the plugin shape',
  LOOM_ERR_DUPLICATE_PLUGIN: 'two plugins share one name',
  LOOM_ERR_MISSING_DEPENDENCY: 'a plugin needs a plugin or service that nothing provides',
  LOOM_ERR_DEPENDENCY_CYCLE: 'plugins depend on each other in a circle',
  LOOM_ERR_INVALID_OPTIONS: 'plugin options do not match the plugin schema',
  LOOM_ERR_UNKNOWN_ID: 'a storage backend, decomposer or classifier id is not registered',
  LOOM_ERR_DUPLICATE_ID: 'two registrations share one id',
  LOOM_ERR_UNKNOWN_SERVICE: 'a plugin used a service that no plugin provides',
  LOOM_ERR_HOOK_FAILED: 'a hook tap threw',
  LOOM_ERR_PLUGIN_SETUP: 'a plugin setup threw',
  LOOM_ERR_CONFIG_INVALID: 'the config file or environment has an unknown key or a bad value',
  LOOM_ERR_CONFIG_LOAD: 'the config file could not be read or executed',
  LOOM_ERR_INVALID_NAME: 'a name that becomes part of a subject or key is not a valid token',
  LOOM_ERR_INVALID_INPUT: 'tool or API input does not match its schema',
  LOOM_ERR_NATS_UNREACHABLE: 'NATS could not be reached',
  LOOM_ERR_NATS_NO_JETSTREAM: 'the NATS server runs without JetStream',
  LOOM_ERR_NATS_SERVER_MISSING: 'no nats-server binary to start the embedded default',
  LOOM_ERR_NATS_SERVER_START: 'the managed nats-server did not start',
  LOOM_ERR_CONFLICT: 'a write lost a compare-and-set race or a key already exists',
  LOOM_ERR_NOT_FOUND: 'the thing asked for does not exist',
  LOOM_ERR_FORBIDDEN: 'the caller may not do this in this scope or project',
  LOOM_ERR_UNSUPPORTED: 'nothing loaded here can do this (no spin-up manager in this weft)',
  LOOM_ERR_TIMEOUT: 'an operation did not finish in time',
  LOOM_ERR_LIMIT_REACHED: 'a per-principal or per-agent limit (e.g. 100 personal core memories) is reached',
  LOOM_ERR_SENSITIVE_CONTENT: 'content looks like a secret (API key, token, private key) and was not stored',
  LOOM_ERR_UNAUTHORIZED: 'an API request carries no bearer token, or one that is not configured',
  LOOM_ERR_PAYLOAD_TOO_LARGE: 'an API request body is larger than the configured limit',
  LOOM_ERR_RATE_LIMITED: 'a token made more API requests in the window than the rate limit allows',
  LOOM_ERR_UNAVAILABLE: 'no coordinator instance can act right now (no lease holder, or NATS is down), or NATS was used after its kernel stopped',
  LOOM_ERR_SPIN_UP_FAILED: 'a spin-up mechanism could not start, stop or reach what runs the agent',
  LOOM_ERR_INTERNAL: 'an unexpected failure inside Loominal',
} as const;

export type LoomErrorCode = keyof typeof errorCodes;

// A loom.config.ts loaded through jiti may bring its own copy of this module (e.g. `import from './core/index.js'`
// in the repository); the brand makes `instanceof LoomError` hold across copies, so codes are never lost.
const BRAND = Symbol.for('loominal.LoomError');

export class LoomError extends Error {
  readonly code: LoomErrorCode;
  readonly details: Record<string, unknown> | undefined;

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  constructor(code: LoomErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.name = 'LoomError';
    this.code = code;
    this.details = details;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** The message without the leading code, for APIs that carry the code separately. */
  get reason(): string {
    return this.message.slice(this.code.length + 2);
  }
}

export function isLoomError(err: unknown, code?: LoomErrorCode): err is LoomError {
  return err instanceof LoomError && (code === undefined || err.code === code);
}

/** Wraps anything thrown into a LoomError, keeping a LoomError as it is. */
export function toLoomError(err: unknown, code: LoomErrorCode = 'LOOM_ERR_INTERNAL'): LoomError {
  if (err instanceof LoomError) return err;
  const message = err instanceof Error ? err.message : String(err);
  // NATS answered nothing in time (a restarting server, a cluster electing a leader): say so, a retry may succeed.
  if (code === 'LOOM_ERR_INTERNAL' && isNatsTimeout(err)) {
    return new LoomError('LOOM_ERR_TIMEOUT', `NATS did not answer in time (${message}); the server may be restarting or its cluster electing a leader: retry`, undefined, { cause: err });
  }
  // The broker itself refused (per-user permissions, e.g. from `loom auth`): not a bug here, a right this user lacks.
  if (code === 'LOOM_ERR_INTERNAL' && isPermissionViolation(err)) {
    return new LoomError('LOOM_ERR_FORBIDDEN', `the NATS server refused it: ${message}. This NATS user is not allowed to do that (see docs/security.md)`, undefined, { cause: err });
  }
  return new LoomError(code, message, undefined, { cause: err });
}
