// Registry<T>: things looked up by id (tools, spin-up mechanisms, classifiers, storage backends).
import { LoomError } from './errors.js';

export interface Registered<T> {
  id: string;
  value: T;
  /** Which plugin registered it, for error messages. */
  owner: string;
}

export class Registry<T> {
  readonly #items = new Map<string, Registered<T>>();

  constructor(readonly kind: string) {}

  add(id: string, value: T, owner: string): void {
    const existing = this.#items.get(id);
    if (existing) {
      throw new LoomError('LOOM_ERR_DUPLICATE_ID', `${this.kind} "${id}" is registered twice: by ${existing.owner} and by ${owner}`, { kind: this.kind, id, owners: [existing.owner, owner] });
    }
    this.#items.set(id, { id, value, owner });
  }

  has(id: string): boolean {
    return this.#items.has(id);
  }

  /** The value for id, or LOOM_ERR_UNKNOWN_ID listing the known ids. */
  get(id: string): T {
    const found = this.#items.get(id);
    if (!found) {
      const known = this.ids();
      throw new LoomError('LOOM_ERR_UNKNOWN_ID', `unknown ${this.kind} "${id}"; known: ${known.length ? known.join(', ') : '(none registered)'}`, { kind: this.kind, id, known });
    }
    return found.value;
  }

  find(id: string): T | undefined {
    return this.#items.get(id)?.value;
  }

  ids(): string[] {
    return [...this.#items.keys()].sort();
  }

  values(): T[] {
    return [...this.#items.values()].map((item) => item.value);
  }

  entries(): Registered<T>[] {
    return [...this.#items.values()];
  }
}
