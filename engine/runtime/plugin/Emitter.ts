/** A listener for one event type. */
export type Listener<T> = (event: T) => void;

/**
 * A small typed event emitter: `on` returns the function that unsubscribes. A listener that
 * throws does not stop the others; the error is reported with `console.error` and the rest run.
 */
export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  on<K extends keyof Events>(type: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => this.off(type, listener);
  }

  off<K extends keyof Events>(type: K, listener: Listener<Events[K]>): void {
    this.listeners.get(type)?.delete(listener as Listener<never>);
  }

  emit<K extends keyof Events>(type: K, event: Events[K]): void {
    const set = this.listeners.get(type);
    if (!set) return;
    for (const listener of set) {
      try {
        (listener as Listener<Events[K]>)(event);
      } catch (error) {
        console.error(`Emitter: a "${String(type)}" listener threw:`, error);
      }
    }
  }

  /** Listeners registered for `type`. */
  count(type: keyof Events): number {
    return this.listeners.get(type)?.size ?? 0;
  }

  /** Remove every listener. */
  clear(): void {
    this.listeners.clear();
  }
}
