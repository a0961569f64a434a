// How tests run the `loom` CLI: the compiled entry, with the same node binary (the production code lives in core/process).
export { loomCommand } from '../process/loom-command.js';
/** Zombie-aware (core/process/alive.ts). */
export { isProcessAlive as isAlive } from '../process/alive.js';
