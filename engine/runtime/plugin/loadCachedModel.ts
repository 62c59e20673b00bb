import { loadBytes, loadManifest, WorldModel, type ProgressCallback, type WorldModelOptions } from '../../../worldmodel/index.ts';

export interface LoadCachedModelOptions extends WorldModelOptions {
  /** Cache API cache to keep model bytes in, or false for none. Default `nextframe-models`. */
  cache?: string | false;
  /** Download progress of the model bytes (a cache hit reports all bytes at once). */
  onProgress?: ProgressCallback;
}

export interface LoadedModel {
  model: WorldModel;
  /** The model bytes came from the Cache API: nothing was downloaded but the manifest. */
  fromCache: boolean;
  /** Size of the ONNX file, bytes. */
  bytes: number;
  /** Where the manifest was read. */
  manifestUrl: URL;
}

/**
 * `WorldModel.load` with the model bytes kept in the browser's Cache API, so a reload does not
 * download them again. The manifest is always fetched (it is small) and its hash is part of the
 * cache key: a re-exported model has a new manifest, so a stale cached model is never used, and
 * older entries for the same URL are deleted.
 */
export async function loadCachedModel(location: string | URL, options: LoadCachedModelOptions = {}): Promise<LoadedModel> {
  const { manifest, url: manifestUrl, text } = await loadManifest(location);
  const modelUrl = new URL(manifest.modelFile, manifestUrl);
  const key = `${modelUrl.href.split('?')[0]}?manifest=${fnv1a(text)}`;
  const cache = options.cache === false || typeof caches === 'undefined' ? null : await caches.open(options.cache ?? 'nextframe-models').catch(() => null);

  let bytes: Uint8Array | null = null;
  const hit = await cache?.match(key);
  if (hit) {
    bytes = new Uint8Array(await hit.arrayBuffer());
    options.onProgress?.(bytes.length, bytes.length);
  }
  const fromCache = bytes !== null;
  if (!bytes) bytes = await loadBytes(modelUrl, `model file "${manifest.modelFile}"`, options.onProgress);

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
  return { model, fromCache, bytes: size, manifestUrl };
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
