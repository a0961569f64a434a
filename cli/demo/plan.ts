// What `loom demo` asks of the fabric: one local target, a few work items, a two-step shuttle orchestration.

/** The worker every demo agent runs per item: real shell commands on the item's first line. */
export const WORKER_SCRIPT = [
  'line=$(printf "%s\\n" "$LOOM_WORK_DESCRIPTION" | head -n 1)',
  'case "$LOOM_WORK_CAPABILITY" in',
  '  demo-shout) printf "%s\\n" "$line" | tr "[:lower:]" "[:upper:]" ;;',
  '  demo-count) printf "%s words: %s\\n" "$(printf "%s" "$line" | wc -w | tr -d " ")" "$line" ;;',
  '  *) echo "this worker cannot do $LOOM_WORK_CAPABILITY" >&2; exit 1 ;;',
  'esac',
].join('\n');

export const DEMO_CAPABILITIES = ['demo-shout', 'demo-count'];

export function demoTarget(options: { cwd: string; logDir: string }) {
  return {
    id: 'demo-local',
    name: 'this machine (loom demo)',
    mechanism: 'local',
    agentType: 'worker',
    capabilities: DEMO_CAPABILITIES,
    maxConcurrent: 2,
    cooldownMs: 0,
    config: {
      command: ['loom', 'agent', ...DEMO_CAPABILITIES.flatMap((capability) => ['--capability', capability]), '--grace-ms', '2000', '--', 'sh', '-c', WORKER_SCRIPT],
      cwd: options.cwd,
      logDir: options.logDir,
      stopGraceMs: 5_000,
    },
  };
}

export const DEMO_WORK = [
  { capability: 'demo-shout', description: 'weave the warp and the weft' },
  { capability: 'demo-count', description: 'agents that talk, share work and remember' },
  { capability: 'demo-shout', description: 'one spin-up per need' },
  { capability: 'demo-count', description: 'idle agents are scaled down' },
];

export const DEMO_ORCHESTRATION = {
  task: 'Write the headline of the demo release notes, then measure it.',
  subtasks: [
    { id: 'headline', title: 'loominal demo release notes', instructions: 'Write the headline in capitals.', capability: 'demo-shout', dependsOn: [] },
    { id: 'measure', title: 'count the words of the release notes headline', instructions: 'Count the words of the headline.', capability: 'demo-count', dependsOn: ['headline'] },
  ],
};
