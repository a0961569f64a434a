// Random ids of channel and direct messages, work events and memories: 32 lowercase hex characters.
import { randomUUID } from 'node:crypto';

/**
 * 122 random bits. randomUUID draws from an entropy pool it refills in batches, while randomBytes asks OpenSSL on every
 * call: that call showed up in profiles of send_message and of every work event.
 */
export function createRandomId(): string {
  return randomUUID().replaceAll('-', '');
}
