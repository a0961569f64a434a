// The worker runtime behind `loom agent`: a module that uses the registry and work-queue services of a kernel.
export { createAgentRuntime, type AgentRuntime, type AgentRuntimeDeps, type AgentRuntimeOptions } from './runtime.js';
export type { ShutdownReply } from './control.js';
