// The `claude mcp add` line in each server's doc is the one `loom mcp-config --client claude --npx` prints, so a
// reader pasting it gets the same server name and flags as the generated config.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MCP_PRESETS, renderClientConfig, serverLaunches } from '../../cli/mcp-clients.js';
import { REPO_ROOT } from '../fixtures/temp-project.js';

describe('claude mcp add lines in the docs', () => {
  const { commands } = renderClientConfig('claude', serverLaunches({ client: 'claude', env: {}, projectDir: REPO_ROOT, npx: true }));
  it.each(MCP_PRESETS.map((preset, i) => [preset, commands[i]!] as const))('docs/%s.md shows the line loom mcp-config prints', (preset, line) => {
    expect(line).toContain(`loom-${preset}`);
    const doc = readFileSync(join(REPO_ROOT, 'docs', `${preset}.md`), 'utf8');
    const shown = doc.split('\n').filter((l) => l.startsWith('claude mcp add'));
    expect(shown).toEqual([line]);
  });
});
