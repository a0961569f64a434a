// The key-value storage interface every backend implements (nats-kv, filesystem, memory) and plugins use.

export interface KvEntry<T = unknown> {
  key: string;
  value: T;
  /** Monotonic per bucket; the input to compare-and-set. */
  revision: number;
  /** Milliseconds since the epoch when this revision was written. */
  updatedAt: number;
}

export interface KvChange<T = unknown> {
  op: 'put' | 'delete';
  key: string;
  value: T | undefined;
  revision: number;
}

export interface BucketSpec {
  /** Built by the names module; never user input. */
  name: string;
  /** Entries older than this are gone: never returned, whether or not anything cleaned up. */
  ttlMs?: number;
}

export interface KvWatch {
  stop(): Promise<void>;
}

export interface KvBucket {
  readonly name: string;
  get<T = unknown>(key: string): Promise<KvEntry<T> | null>;
  put(key: string, value: unknown): Promise<number>;
  /** Writes only if the key does not exist; otherwise LOOM_ERR_CONFLICT. */
  create(key: string, value: unknown): Promise<number>;
  /** Writes only if the key is still at `revision`; otherwise LOOM_ERR_CONFLICT. */
  update(key: string, value: unknown, revision: number): Promise<number>;
  delete(key: string): Promise<void>;
  /** Entries whose key starts with prefix ('' for all), in key order. */
  list<T = unknown>(prefix?: string): Promise<KvEntry<T>[]>;
  keys(prefix?: string): Promise<string[]>;
  /** Calls onChange for every put and delete after the watch starts (and, with initial, for current entries first). */
  watch<T = unknown>(onChange: (change: KvChange<T>) => void, options?: { prefix?: string; initial?: boolean }): Promise<KvWatch>;
}

export interface StorageFeatures {
  ttl: boolean;
  watch: boolean;
  /** Shared between processes (and machines): false for memory. */
  shared: boolean;
}

export interface StorageBackend {
  readonly id: string;
  readonly features: StorageFeatures;
  openBucket(spec: BucketSpec): Promise<KvBucket>;
  /** Deletes a bucket and everything in it. */
  destroyBucket(name: string): Promise<void>;
  close(): Promise<void>;
}

/** KV keys: the characters NATS KV, file names and maps all accept. */
export const KV_KEY_PATTERN = /^[A-Za-z0-9_=-][A-Za-z0-9_=.\-/]{0,254}$/;
