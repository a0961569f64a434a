// Validation of every user-supplied string that becomes part of a NATS subject, stream, consumer or key.
import { z } from 'zod';
import { LoomError } from '../errors.js';

export const TOKEN_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const HEX_ID_PATTERN = /^[0-9a-f]{8,64}$/;

const tokenRule = 'a lowercase token: 1-64 of a-z, 0-9, "_" or "-", starting with a letter or digit (no ".", "*", ">", spaces or control characters)';
const hexRule = 'a hex id of 8 to 64 characters (0-9, a-f)';

function describe(value: unknown): string {
  if (typeof value !== 'string') return `a ${typeof value}`;
  const shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return shown;
}

/** Returns the token or throws LOOM_ERR_INVALID_NAME naming the field. */
export function assertToken(field: string, value: unknown): string {
  if (typeof value === 'string' && TOKEN_PATTERN.test(value)) return value;
  throw new LoomError('LOOM_ERR_INVALID_NAME', `${field} must be ${tokenRule}; got ${describe(value)}`, { field });
}

/** Returns the id or throws LOOM_ERR_INVALID_NAME naming the field. */
export function assertHexId(field: string, value: unknown): string {
  if (typeof value === 'string' && HEX_ID_PATTERN.test(value)) return value;
  throw new LoomError('LOOM_ERR_INVALID_NAME', `${field} must be ${hexRule}; got ${describe(value)}`, { field });
}

/** zod schemas for the same rules, for tool and API inputs. */
export const tokenSchema = z.string().regex(TOKEN_PATTERN, { message: `must be ${tokenRule}` });
export const hexIdSchema = z.string().regex(HEX_ID_PATTERN, { message: `must be ${hexRule}` });
