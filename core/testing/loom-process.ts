// How tests run the `loom` CLI: the compiled entry, with the same node binary (the production code lives in core/process).
export { loomCommand } from '../process/loom-command.js';
