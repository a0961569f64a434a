// Recognising NATS client errors by name through their cause chain (nats.js wraps request failures in RequestError).

function causeNamed(err: unknown, name: string): Error | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) if (e.name === name) return e;
  return undefined;
}

/** The server refused a publish or subscribe for this user (its permissions, e.g. from `loom auth`). */
export function isPermissionViolation(err: unknown): boolean {
  return causeNamed(err, 'PermissionViolationError') !== undefined;
}

/** No answer in time: a restarting server, a cluster electing a leader, or no responder at all. */
export function isNatsTimeout(err: unknown): boolean {
  return causeNamed(err, 'TimeoutError') !== undefined;
}

/** The server refused this client's credentials (missing, wrong or expired token, password or creds). */
export function isAuthorizationError(err: unknown): boolean {
  return causeNamed(err, 'AuthorizationError') !== undefined || causeNamed(err, 'UserAuthenticationExpiredError') !== undefined;
}
