// Targets declared in loom.config.ts (options['weft:coordinator'].targets): checked when weft starts, written to KV by
// the acting instance. Declared targets win over KV on their id; targets created through the API are left alone.
import { isLoomError, LoomError, type Logger, type Registry, type SpinUpMechanism } from '../../../core/index.js';
import type { DeclaredTarget, TargetInput } from '../schemas/targets.js';
import type { ProjectHandle } from './projects.js';
import { createTargetStore, validateTarget } from './targets.js';

export interface CheckedTarget {
  id: string;
  input: TargetInput;
  /** The mechanism config as its schema parsed it (defaults filled in). */
  config: Record<string, unknown>;
}

/** Checks every declared target exactly as POST /api/targets does; the first bad one fails weft's start, naming it. */
export function checkDeclaredTargets(pluginName: string, mechanisms: Registry<SpinUpMechanism>, declared: ReadonlyArray<DeclaredTarget>): CheckedTarget[] {
  return declared.map((target, index) => {
    const { id, ...input } = target;
    try {
      return { id, input, config: validateTarget(mechanisms, input) };
    } catch (err) {
      const path = `options["${pluginName}"].targets[${index}]`;
      const reason = isLoomError(err) ? err.reason : err instanceof Error ? err.message : String(err);
      throw new LoomError('LOOM_ERR_INVALID_OPTIONS', `${path} (target "${id}") › ${reason}`, { plugin: pluginName, path, targetId: id, ...(isLoomError(err) ? err.details : {}) }, { cause: err });
    }
  });
}

export interface ApplyOptions {
  project: ProjectHandle;
  targets: ReadonlyArray<CheckedTarget>;
  log: Logger;
  /** Stop retrying once this instance is no longer the acting one. */
  stillActing(): boolean;
  attempts?: number;
  retryMs?: number;
}

/** Upserts the declared targets into the project's KV, retrying a failed write a few times; never throws. */
export async function applyDeclaredTargets(options: ApplyOptions): Promise<Record<string, 'created' | 'updated' | 'unchanged'> | undefined> {
  const { project, targets, log } = options;
  if (!targets.length) return {};
  const store = createTargetStore(project.targetsBucket, project.projectId);
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; attempt <= attempts && options.stillActing(); attempt++) {
    try {
      const actions: Record<string, 'created' | 'updated' | 'unchanged'> = {};
      for (const target of targets) actions[target.id] = (await store.upsert(target.id, target.input, target.config)).action;
      log.info({ projectId: project.projectId, targets: actions }, 'declared spin-up targets written');
      return actions;
    } catch (err) {
      log.warn({ err: err instanceof Error ? err.message : String(err), attempt, projectId: project.projectId }, 'could not write the declared spin-up targets');
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, (options.retryMs ?? 250) * 2 ** (attempt - 1)));
    }
  }
  log.error({ projectId: project.projectId }, 'the declared spin-up targets were not written; they are written again when this instance next becomes the acting one');
  return undefined;
}
