import { LearnedUpsampler, loadManifest, NextframeError, parseUpsamplerManifest, type LearnedUpsamplerOptions, type UpsamplerManifest } from '../../../worldmodel/index.ts';
import { cachedModelBytes, type ModelCacheOptions } from './cachedModelBytes.ts';

/** The ONNX file beside an upsampler's manifest (the exporter's fixed name). */
const MODEL_FILE = 'model.onnx';

export interface LoadCachedUpsamplerOptions extends LearnedUpsamplerOptions, ModelCacheOptions {
  /**
   * The world model it must fit: the frame size it paints. An upsampler for another size is refused
   * (`display-mismatch`) before its model file is downloaded. (Depth needs no match: an upsampler
   * normalises it with its own training camera's far plane.)
   */
  fit?: { width: number; height: number; id?: string };
}

export interface LoadedUpsampler {
  upsampler: LearnedUpsampler;
  /** The model bytes came from the Cache API: nothing was downloaded but the manifest. */
  fromCache: boolean;
  /** A cached copy did not match the manifest's `modelSha256`: it was deleted and fetched again. */
  cacheRejected: boolean;
  /** Downloads of the model file it took (0 from the cache). */
  downloads: number;
  /** Size of the ONNX file, bytes. */
  bytes: number;
  /** Where the manifest was read. */
  manifestUrl: URL;
}

/**
 * `LearnedUpsampler.load` through the model cache (`cachedModelBytes`): an upsampler's folder
 * (`manifest.json` of kind `upsampler`, `model.onnx`) by URL, its bytes kept in the Cache API,
 * checked against the manifest's `modelSha256` and downloaded again when cut off or damaged, as
 * `loadCachedModel` does for world models. With `fit`, one that does not fit the world model is
 * refused first.
 */
export async function loadCachedUpsampler(location: string | URL, options: LoadCachedUpsamplerOptions = {}): Promise<LoadedUpsampler> {
  return upsamplerFromManifest(await loadManifest(location, parseUpsamplerManifest), options);
}

/** `loadCachedUpsampler` from its manifest, already read (`loadManifest` with `parseUpsamplerManifest`). */
export async function upsamplerFromManifest(read: { manifest: UpsamplerManifest; url: URL; text: string }, options: LoadCachedUpsamplerOptions = {}): Promise<LoadedUpsampler> {
  const { manifest, url: manifestUrl, text } = read;
  const { fit } = options;
  const { width, height } = manifest.resolution;
  if (fit && (width !== fit.width || height !== fit.height)) {
    throw new NextframeError(
      'display-mismatch',
      `loadCachedUpsampler: the upsampler "${manifest.id}" at ${manifestUrl.href} does not fit the world model${fit.id ? ` "${fit.id}"` : ''}: it takes ${width} × ${height} frames, the model paints ${fit.width} × ${fit.height}. ` +
        'Use an upsampler trained for this model\'s frame size (display frames recorded with record --display), or play with display: \'bicubic\'.',
    );
  }
  const file = await cachedModelBytes({ url: new URL(MODEL_FILE, manifestUrl), manifestText: text, sha256: manifest.modelSha256, what: `upsampler model file "${MODEL_FILE}"` }, options);
  const size = file.bytes.length;
  try {
    const upsampler = await LearnedUpsampler.fromBytes(manifest, file.bytes, options);
    return { upsampler, fromCache: file.fromCache, cacheRejected: file.cacheRejected, downloads: file.downloads, bytes: size, manifestUrl };
  } catch (error) {
    await file.forget(); // one that does not load must not be served from the cache next time
    throw error;
  }
}
