// What `loom` and the warp server load before they do anything: the other presets, the Kubernetes client, the HTTP
// stack and `loom auth --provision` are imported on demand, so an MCP server starts fast and stays small (issue #8).
import { describe, expect, it } from 'vitest';
import { staticGraph } from '../fixtures/imports.js';

const PRESET_MODULES = /^presets\/(warp|pattern|shuttle|weft|agent)\.ts$/;
const TOOL_GROUPS_AND_MECHANISMS = /^plugins\/(warp|pattern|shuttle|weft|agent-runtime|spin-up|spin-up-manager|classifiers)\//;
const ON_DEMAND_PACKAGES = ['@kubernetes/client-node', 'jiti', 'ora', 'koa', '@koa/router', 'ssh2', 'playwright-core', 'minisearch', 'prom-client'];

describe('static imports', () => {
  it('sees through a multi-line import and skips type-only ones (the walker itself)', () => {
    const graph = staticGraph('cli/commands/auth.ts');
    expect(graph.files).toContain('cli/auth/generate.ts');
    expect(graph.files).not.toContain('cli/auth/provision.ts');
  });

  it('the loom CLI entry reaches no preset, plugin group or heavy package until a command asks for it', () => {
    const graph = staticGraph('cli/main.ts');
    // presets/index.ts is the loader that imports a preset when a command names it.
    expect(graph.files.filter((f) => PRESET_MODULES.test(f) || TOOL_GROUPS_AND_MECHANISMS.test(f) || f === 'cli/auth/provision.ts')).toEqual([]);
    expect(ON_DEMAND_PACKAGES.filter((p) => graph.packages.has(p))).toEqual([]);
    // Each command is imported when argv names it: `loom warp` loads serve-mcp and none of the other commands.
    expect(graph.files.filter((f) => f.startsWith('cli/commands/'))).toEqual([]);
  });

  it('the warp preset reaches no other preset\'s plugins and no HTTP, SSH, Kubernetes or search package', () => {
    const graph = staticGraph('presets/warp.ts');
    const others = graph.files.filter((f) => (PRESET_MODULES.test(f) && f !== 'presets/warp.ts') || (TOOL_GROUPS_AND_MECHANISMS.test(f) && !f.startsWith('plugins/warp/')));
    expect(others).toEqual([]);
    expect(graph.files.some((f) => f.startsWith('plugins/warp/'))).toBe(true);
    expect(ON_DEMAND_PACKAGES.filter((p) => graph.packages.has(p))).toEqual([]);
  });
});
