/**
 * The part of the Cache API the model loaders use (`caches.open` → match, put, keys, delete), in
 * memory, for Node tests of loadCachedModel and loadCachedUpsampler. `store` shows what is cached.
 */
export class MemoryCache {
  readonly store = new Map<string, Uint8Array>();
  async match(key: string): Promise<Response | undefined> {
    const bytes = this.store.get(key);
    return bytes ? new Response(bytes.slice()) : undefined;
  }
  async put(key: string, response: Response): Promise<void> {
    this.store.set(key, new Uint8Array(await response.arrayBuffer()));
  }
  async keys(): Promise<{ url: string }[]> {
    return [...this.store.keys()].map((url) => ({ url }));
  }
  async delete(key: string | { url: string }): Promise<boolean> {
    return this.store.delete(typeof key === 'string' ? key : key.url);
  }
}

/** A fresh MemoryCache as `globalThis.caches` (every `caches.open` gives it); undo with `removeCache`. */
export function installCache(): MemoryCache {
  const cache = new MemoryCache();
  (globalThis as { caches?: unknown }).caches = { open: async () => cache };
  return cache;
}

/** Take `globalThis.caches` away again (Node has none). */
export function removeCache(): void {
  delete (globalThis as { caches?: unknown }).caches;
}
