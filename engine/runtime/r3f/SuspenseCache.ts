/** One cached load: its promise (the same object on every render), who uses it, and what it gave. */
interface Entry<T> {
  promise: Promise<T>;
  users: number;
  timer: ReturnType<typeof setTimeout> | null;
  value: { ok: true; value: T } | { ok: false; error: unknown } | null;
}

export interface SuspenseCacheOptions<T> {
  /** Load what `key` names; called once per key until the entry is freed or cleared. */
  load: (key: string) => Promise<T>;
  /** Free a loaded value nobody uses any more. */
  free: (value: T) => void | Promise<void>;
  /**
   * How long a value nobody uses is kept, ms, before it is freed. Default 0: the next task, which
   * is enough for StrictMode's unmount-and-mount-again and for a world remounted in the same commit.
   */
  graceMs?: number;
}

/**
 * Promises by key for React's Suspense: `read` throws the same promise for a key until it settles
 * (the component suspends), then returns its value. Loaded values are counted
 * while mounted components use them (`retain`) and freed once the last one lets go; a failed
 * load stays (React rethrows its error to the nearest error boundary on every render) until
 * `clear` forgets it, so a retry loads again.
 */
export class SuspenseCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly load: (key: string) => Promise<T>;
  private readonly free: (value: T) => void | Promise<void>;
  private readonly graceMs: number;

  constructor(options: SuspenseCacheOptions<T>) {
    this.load = options.load;
    this.free = options.free;
    this.graceMs = options.graceMs ?? 0;
  }

  /** The promise for `key`, started on the first call. */
  get(key: string): Promise<T> {
    return this.entry(key).promise;
  }

  /**
   * For a component's render: the value of `key` once loaded; until then it throws the promise
   * (React's Suspense shows the fallback and renders again when it settles), and after a failed
   * load it throws the error (to the nearest error boundary). Thrown rather than handed to
   * React's `use(promise)`: under StrictMode a world suspended with `use` inside r3f's `<Canvas>`
   * never resumed (React 19.3, r3f 9.8); a thrown promise does.
   */
  read(key: string): T {
    const { value, promise } = this.entry(key);
    if (value === null) throw promise;
    if (!value.ok) throw value.error;
    return value.value;
  }

  /** Count a user of `key` (a mounted component); the function returned lets go of it once. */
  retain(key: string): () => void {
    const entry = this.entry(key);
    entry.users++;
    if (entry.timer !== null) {
      clearTimeout(entry.timer);
      entry.timer = null;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--entry.users > 0) return;
      entry.timer = setTimeout(() => {
        entry.timer = null;
        if (entry.users === 0 && this.entries.get(key) === entry) this.forget(key, entry);
      }, this.graceMs);
    };
  }

  /** Users of `key` now (0 for an unknown key). */
  users(key: string): number {
    return this.entries.get(key)?.users ?? 0;
  }

  /** Whether `key` has an entry (loading, loaded or failed). */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /**
   * Forget `key` (or every key) that no mounted component uses: a failed load is tried again on
   * the next `get`, a loaded value is freed. Entries in use are kept.
   */
  clear(key?: string): void {
    for (const [k, entry] of [...this.entries]) {
      if ((key === undefined || k === key) && entry.users === 0) this.forget(k, entry);
    }
  }

  private entry(key: string): Entry<T> {
    let entry = this.entries.get(key);
    if (entry) return entry;
    const created: Entry<T> = { promise: this.load(key), users: 0, timer: null, value: null };
    created.promise.then(
      (value) => void (created.value = { ok: true, value }),
      (error: unknown) => void (created.value = { ok: false, error }),
    );
    this.entries.set(key, (entry = created));
    return entry;
  }

  private forget(key: string, entry: Entry<T>): void {
    this.entries.delete(key);
    if (entry.timer !== null) clearTimeout(entry.timer);
    entry.timer = null;
    const freeValue = (value: T): void => {
      Promise.resolve()
        .then(() => this.free(value))
        .catch((error: unknown) => console.error(`SuspenseCache: freeing "${key}" threw:`, error));
    };
    if (entry.value?.ok) freeValue(entry.value.value);
    else if (entry.value === null) entry.promise.then(freeValue, () => undefined); // still loading: free it when it arrives
  }
}
