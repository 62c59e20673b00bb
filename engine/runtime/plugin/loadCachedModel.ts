import { assertOnnxBytes, loadBytes, loadManifest, modelDigestMatches, NextframeError, WorldModel, type ModelManifest, type ProgressCallback, type WorldModelOptions } from '../../../worldmodel/index.ts';

export interface LoadCachedModelOptions extends WorldModelOptions {
  /** Cache API cache to keep model bytes in, or false for none. Default `nextframe-models`. */
  cache?: string | false;
  /** Download progress of the model bytes (a cache hit reports all bytes at once). */
  onProgress?: ProgressCallback;
  /** Downloads tried again after one is cut off or arrives damaged (hash mismatch). Default 2. */
  retries?: number;
  /** Wait before the first retry, ms; it doubles for each next one. Default 500. */
  retryDelayMs?: number;
}

export interface LoadedModel {
  model: WorldModel;
  /** The model bytes came from the Cache API: nothing was downloaded but the manifest. */
  fromCache: boolean;
  /** A cached copy was found but did not match the manifest's `modelSha256`: it was deleted and the model fetched again. */
  cacheRejected: boolean;
  /** Downloads of the model file it took (0 from the cache; 2 or more after a cut or damaged download). */
  downloads: number;
  /** Size of the ONNX file, bytes. */
  bytes: number;
  /** Where the manifest was read. */
  manifestUrl: URL;
}

/**
 * `WorldModel.load` with the model bytes kept in the browser's Cache API, so a reload does not
 * download them again. The manifest is always fetched (it is small) and its hash is part of the
 * cache key: a re-exported model has a new manifest, so a stale cached model is never used, and
 * older entries for the same URL are deleted. When the manifest records the model's sha256, a
 * cached copy that does not match it (storage damaged or tampered with) is thrown away and the
 * model fetched again, and a download that is cut off or does not match is tried again
 * (`retries`, with backoff) before a `download-incomplete` or `model-corrupt` error says so.
 */
export async function loadCachedModel(location: string | URL, options: LoadCachedModelOptions = {}): Promise<LoadedModel> {
  const { manifest, url: manifestUrl, text } = await loadManifest(location);
  const modelUrl = new URL(manifest.modelFile, manifestUrl);
  const key = `${modelUrl.href.split('?')[0]}?manifest=${fnv1a(text)}`;
  const cache = options.cache === false || typeof caches === 'undefined' ? null : await caches.open(options.cache ?? 'nextframe-models').catch(() => null);

  let bytes: Uint8Array | null = null;
  let cacheRejected = false;
  const hit = await cache?.match(key);
  if (hit) {
    const cached = new Uint8Array(await hit.arrayBuffer());
    if (await modelDigestMatches(manifest, cached)) {
      bytes = cached;
      options.onProgress?.(bytes.length, bytes.length);
    } else {
      cacheRejected = true;
      await cache?.delete(key);
      console.warn(`loadCachedModel: the cached copy of ${modelUrl.href} does not match the manifest's modelSha256; it was deleted and the model is fetched again.`);
    }
  }
  const fromCache = bytes !== null;
  let downloads = 0;
  if (!bytes) {
    const fetched = await download(modelUrl, manifest, options);
    bytes = fetched.bytes;
    downloads = fetched.downloads;
  }

  // Cache before creating the session: onnxruntime's worker takes the bytes (they are transferred).
  const size = bytes.length;
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
  let model: WorldModel;
  try {
    model = await WorldModel.fromBytes(manifest, bytes, options);
  } catch (error) {
    await cache?.delete(key); // a model that does not load must not be served from the cache next time
    throw error;
  }
  return { model, fromCache, cacheRejected, downloads, bytes: size, manifestUrl };
}

/** The model file, downloaded again (with backoff) while a download is cut off or does not match its hash. */
async function download(url: URL, manifest: ModelManifest, options: LoadCachedModelOptions): Promise<{ bytes: Uint8Array; downloads: number }> {
  const retries = Math.max(0, Math.floor(options.retries ?? 2));
  const delay = options.retryDelayMs ?? 500;
  const what = `model file "${manifest.modelFile}"`;
  let last: NextframeError | null = null;
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, delay * 2 ** (attempt - 1)));
    try {
      const bytes = await loadBytes(url, what, options.onProgress);
      // Not ONNX at all (an HTML error page): a wrong URL or server, which another try will not fix.
      assertOnnxBytes(bytes, what);
      if (await modelDigestMatches(manifest, bytes)) return { bytes, downloads: attempt + 1 };
      last = new NextframeError(
        'model-corrupt',
        `loadCachedModel: the ${what} downloaded from ${url.href} (${bytes.length} bytes) does not match the manifest's modelSha256 ${manifest.modelSha256}.`,
      );
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
