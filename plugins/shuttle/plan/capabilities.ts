// Fills a subtask's missing capability: the first classifier that proposes a valid capability decides, else the default.
import { TOKEN_PATTERN, type Classifier, type Logger, type Registry } from '../../../core/index.js';

export interface CapabilityChoice {
  capability: string;
  /** "plan", "classifier:<id>" or "default". */
  source: string;
}

export interface CapabilityRequest {
  workId: string;
  projectId: string;
  title: string;
  instructions: string;
  capability?: string | undefined;
  priority: number;
}

export function createCapabilityFiller(options: { classifiers: Registry<Classifier>; order?: ReadonlyArray<string> | undefined; defaultCapability: string; log: Logger }) {
  const ids = () => {
    const loaded = options.classifiers.ids();
    return options.order ? options.order.filter((id) => loaded.includes(id)) : loaded;
  };
  return async function fill(request: CapabilityRequest): Promise<CapabilityChoice> {
    if (request.capability) return { capability: request.capability, source: 'plan' };
    for (const id of ids()) {
      try {
        const decision = await options.classifiers.get(id).classify({
          workId: request.workId,
          projectId: request.projectId,
          description: `${request.title}\n\n${request.instructions}`,
          capability: options.defaultCapability,
          priority: request.priority,
        });
        if (decision?.capability && TOKEN_PATTERN.test(decision.capability)) return { capability: decision.capability, source: `classifier:${id}` };
      } catch (err) {
        // A classifier that fails is skipped, not fatal: the plan still gets a capability (the default).
        options.log.warn({ err, classifier: id, workId: request.workId }, 'classifier failed while filling a capability');
      }
    }
    return { capability: options.defaultCapability, source: 'default' };
  };
}
