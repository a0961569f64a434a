// Typed service refs: plugins provide and use services through the kernel instead of importing each other.

export interface ServiceRef<T> {
  readonly id: string;
  /** Phantom field that carries the service type; never set. */
  readonly __type?: T;
}

export function defineService<T>(id: string): ServiceRef<T> {
  return Object.freeze({ id }) as ServiceRef<T>;
}
