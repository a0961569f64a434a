// An agent's read state: every message at or below `floor` is read, and so is every sequence listed in `read`.
import { z } from 'zod';

export const readStateSchema = z.object({
  floor: z.number().int().min(0),
  /** Sequences above the floor that were read out of order (a filtered read skipped older unread ones). */
  read: z.array(z.number().int().positive()),
});
export type ReadState = z.infer<typeof readStateSchema>;

export const EMPTY_READ_STATE: ReadState = { floor: 0, read: [] };

export interface ScanOutcome {
  /** Sequences returned by this read (now read). */
  returned: number[];
  /** The first unread message the read left unread (filtered out, over the limit or the byte budget). */
  firstLeftUnread?: number;
  /** The highest sequence the scan looked at. */
  lastVisited?: number;
}

/**
 * The state after a scan that started at floor + 1 and looked at messages in order: the floor moves up to just below
 * the first message left unread (or to the last one looked at, when every one of them is read now).
 */
export function nextReadState(state: ReadState, outcome: ScanOutcome): ReadState {
  let floor = state.floor;
  if (outcome.firstLeftUnread !== undefined) floor = Math.max(floor, outcome.firstLeftUnread - 1);
  else if (outcome.lastVisited !== undefined) floor = Math.max(floor, outcome.lastVisited);
  const read = [...new Set([...state.read, ...outcome.returned])].filter((seq) => seq > floor).sort((a, b) => a - b);
  return { floor, read };
}

export function sameReadState(a: ReadState, b: ReadState): boolean {
  return a.floor === b.floor && a.read.length === b.read.length && a.read.every((seq, i) => seq === b.read[i]);
}

export interface SelectionOptions<M> {
  limit: number;
  /** Byte budget of returned messages (at least one is always returned). */
  maxBytes: number;
  matches(message: M): boolean;
}

/**
 * Decides, message by message in sequence order from floor + 1, what one read returns. Unparseable messages (null)
 * count as read, or they would hold the floor down forever.
 */
export class InboxSelection<M> {
  readonly messages: M[] = [];
  readonly #consumed: number[] = [];
  readonly #alreadyRead: Set<number>;
  #firstLeftUnread: number | undefined;
  #lastVisited: number | undefined;
  #leftUnread = 0;
  #bytes = 0;

  constructor(
    private readonly state: ReadState,
    private readonly options: SelectionOptions<M>,
  ) {
    this.#alreadyRead = new Set(state.read);
  }

  /** Looks at the next message; false when the read is complete and the scan can stop. */
  offer(seq: number, message: M | null, bytes: number): boolean {
    this.#lastVisited = seq;
    if (seq <= this.state.floor || this.#alreadyRead.has(seq)) return true;
    if (message === null) {
      this.#consumed.push(seq);
      return true;
    }
    const wanted = this.options.matches(message);
    const fits = this.messages.length === 0 || this.#bytes + bytes <= this.options.maxBytes;
    if (wanted && fits) {
      this.messages.push(message);
      this.#consumed.push(seq);
      this.#bytes += bytes;
      return this.messages.length < this.options.limit;
    }
    this.#firstLeftUnread ??= seq;
    this.#leftUnread++;
    return !wanted;
  }

  /** How many sequences this read marks read (returned or unparseable). */
  get consumedCount(): number {
    return this.#consumed.length;
  }

  /** Unread messages this read looked at and left unread (filtered out, or past the byte budget). */
  get leftUnreadCount(): number {
    return this.#leftUnread;
  }

  /** The highest sequence offered so far. */
  get lastVisited(): number | undefined {
    return this.#lastVisited;
  }

  nextState(): ReadState {
    return nextReadState(this.state, { returned: this.#consumed, lastVisited: this.#lastVisited, ...(this.#firstLeftUnread !== undefined ? { firstLeftUnread: this.#firstLeftUnread } : {}) });
  }
}
