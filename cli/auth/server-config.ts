// Renders the nats-server 2.9 `authorization { users = [...] }` block for `include` from a server config.
import type { Permissions } from './permissions.js';

export interface ServerUser {
  user: string;
  password: string;
  permissions: Permissions;
}

const list = (values: string[]) => `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;

function rules(kind: 'publish' | 'subscribe', rule: { allow: string[]; deny: string[] }): string {
  const parts = [`allow: ${list(rule.allow)}`];
  if (rule.deny.length > 0) parts.push(`deny: ${list(rule.deny)}`);
  return `${kind}: { ${parts.join(', ')} }`;
}

export function renderAuthorization(users: ServerUser[], header: string): string {
  const lines = [`# ${header}`, '# Contains passwords: keep this file readable by the nats-server user only (mode 600).', 'authorization {', '  users = ['];
  for (const u of users) {
    const perms = [rules('publish', u.permissions.publish), rules('subscribe', u.permissions.subscribe)];
    // allow_responses lets a user reply to requests it received (shutdown requests to an agent) without a publish rule.
    if (u.permissions.allowResponses) perms.push('allow_responses: true');
    lines.push(`    { user: ${JSON.stringify(u.user)}, password: ${JSON.stringify(u.password)}, permissions: {`, ...perms.map((p) => `        ${p}`), '    } }');
  }
  lines.push('  ]', '}', '');
  return lines.join('\n');
}
