import { assertOnnxBytes, loadBytes, NextframeError, sha256Hex, type ProgressCallback } from '../../../worldmodel/index.ts';

/** How a model file is cached and downloaded (`loadCachedModel`'s and `loadCachedUpsampler`'s options). */
export interface ModelCacheOptions {
  /** Cache API cache to keep model bytes in, or false for none. Default `nextframe-models`. */
  cache?: string | false;
  /** Download progress of the model bytes (a cache hit reports all bytes at once). */
  onProgress?: ProgressCallback;
  /** Downloads tried again after one is cut off or arrives damaged (hash mismatch). Default 2. */
  retries?: number;
  /** Wait before the first retry, ms; it doubles for each next one. Default 500. */
  retryDelayMs?: number;
}

/** What the manifest says about its model file: a name for messages and, when recorded, its hash. */
export interface ModelFileSpec {
  /** The ONNX file's URL (beside its manifest). */
  url: URL;
  /** The manifest as read: its hash is part of the cache key. */
  manifestText: string;
  /** Hex sha256 the file must hash to; undefined: not recorded (older manifests). */
  sha256: string | undefined;
  /** The file in messages, e.g. `model file "model.onnx"`. */
  what: string;
}

export interface CachedModelBytes {
  bytes: Uint8Array;
  /** The bytes came from the Cache API: nothing was downloaded. */
  fromCache: boolean;
  /** A cached copy was found but did not match the hash: it was deleted and the file fetched again. */
  cacheRejected: boolean;
  /** Downloads it took (0 from the cache). */
  downloads: number;
  /** Delete the cache entry (the bytes did not load: they must not be served next time). */
  forget(): Promise<void>;
}

/**
 * A model file's bytes, kept in the browser's Cache API under its URL and a hash of its manifest
 * (a re-exported model has a new manifest, so a stale copy is never used, and older entries for the
 * same URL are deleted). A cached copy that does not hash to `sha256` is thrown away and fetched
 * again; a download cut off or not matching is tried again (`retries`, with backoff) before a
 * `download-incomplete` or `model-corrupt` error says so. What `loadCachedModel` and
 * `loadCachedUpsampler` share.
 */
export async function cachedModelBytes(file: ModelFileSpec, options: ModelCacheOptions = {}): Promise<CachedModelBytes> {
  const key = `${file.url.href.split('?')[0]}?manifest=${fnv1a(file.manifestText)}`;
  const cache = options.cache === false || typeof caches === 'undefined' ? null : await caches.open(options.cache ?? 'nextframe-models').catch(() => null);
  const matches = async (bytes: Uint8Array): Promise<boolean> => !file.sha256 || (await sha256Hex(bytes)) === file.sha256;

  let bytes: Uint8Array | null = null;
  let cacheRejected = false;
  const hit = await cache?.match(key);
  if (hit) {
    const cached = new Uint8Array(await hit.arrayBuffer());
    if (await matches(cached)) {
      bytes = cached;
      options.onProgress?.(bytes.length, bytes.length);
    } else {
      cacheRejected = true;
      await cache?.delete(key);
      console.warn(`loadCachedModel: the cached copy of ${file.url.href} does not match the manifest's modelSha256; it was deleted and the model is fetched again.`);
    }
  }
  const fromCache = bytes !== null;
  let downloads = 0;
  if (!bytes) {
    const fetched = await download(file, matches, options);
    bytes = fetched.bytes;
    downloads = fetched.downloads;
  }

  // Cache before creating the session: onnxruntime's worker takes the bytes (they are transferred).
  if (cache && !fromCache) {
    try {
      for (const request of await cache.keys()) {
        if (request.url.startsWith(`${key.split('?')[0]}?manifest=`) && request.url !== key) await cache.delete(request);
      }
      await cache.put(key, new Response(bytes.slice(), { headers: { 'content-type': 'application/octet-stream' } }));
    } catch {
      // Out of quota or storage disabled: play on, just without the cache.
    }
  }
  return { bytes, fromCache, cacheRejected, downloads, forget: async () => void (await cache?.delete(key)) };
}

/** The model file, downloaded again (with backoff) while a download is cut off or does not match its hash. */
async function download(file: ModelFileSpec, matches: (bytes: Uint8Array) => Promise<boolean>, options: ModelCacheOptions): Promise<{ bytes: Uint8Array; downloads: number }> {
  const retries = Math.max(0, Math.floor(options.retries ?? 2));
  const delay = options.retryDelayMs ?? 500;
  const { url, what } = file;
  let last: NextframeError | null = null;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, delay * 2 ** (attempt - 1)));
    try {
      const bytes = await loadBytes(url, what, options.onProgress);
      // Not ONNX at all (an HTML error page): a wrong URL or server, which another try will not fix.
      assertOnnxBytes(bytes, what);
      if (await matches(bytes)) return { bytes, downloads: attempt + 1 };
      last = new NextframeError('model-corrupt', `loadCachedModel: the ${what} downloaded from ${url.href} (${bytes.length} bytes) does not match the manifest's modelSha256 ${file.sha256}.`);
    } catch (error) {
      // Only a cut-off download is worth another try; a 404 or an unreachable server is not.
      if (!(error instanceof NextframeError) || error.code !== 'download-incomplete') throw error;
      last = error;
    }
  }
  const tries = retries + 1;
  throw new NextframeError(
    last!.code,
    `${last!.message} Tried ${tries} time${tries === 1 ? '' : 's'}. ` +
      (last!.code === 'model-corrupt'
        ? 'The manifest and the model file on the server may not belong together: re-export them, or check what serves them.'
        : 'Check the connection and call loadCachedModel again.'),
    { cause: last },
  );
}

/** 32-bit FNV-1a of a string, as 8 hex digits: a cache key, not a checksum against tampering. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
