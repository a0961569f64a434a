// What `loom up` runs, in start order; it stops them in reverse. NATS comes first because everything else needs it.
import type { LoadedConfig, Logger } from '../core/index.js';
import { natsPart } from './fabric-nats.js';
import { weftPart } from './fabric-weft.js';

export interface FabricContext {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  loaded: LoadedConfig;
  log: Logger;
  /** The NATS URL the fabric uses, set once the NATS part runs (credentials redacted). */
  natsUrl?: string;
}

export interface RunningPart {
  name: string;
  /** One line for people: what runs, where. */
  line: string;
  /** The same for --json. */
  summary: Record<string, unknown>;
  stop(): Promise<void>;
}

export interface FabricPart {
  name: string;
  /** What `loom doctor` says this part would do. */
  describe: string;
  start(ctx: FabricContext): Promise<RunningPart>;
}

// weft comes after NATS: it needs the server the NATS part found or started.
export const fabricParts: ReadonlyArray<FabricPart> = [natsPart, weftPart];
