import { loadManifest, NextframeError, parseUpsamplerManifest, WorldModel, type DisplayUpsampler, type ModelManifest, type ProgressCallback, type WorldModelOptions } from '../../../worldmodel/index.ts';
import { cachedModelBytes, type ModelCacheOptions } from './cachedModelBytes.ts';
import { upsamplerFromManifest, type LoadCachedUpsamplerOptions } from './loadCachedUpsampler.ts';

/**
 * Where display frames come from (`loadCachedModel`'s `display`): `auto`, the learned upsampler in
 * the folder `upsampler/` beside the model's (`/models/arena/` → `/models/upsampler/`) when there is
 * one that fits the model, else none; `bicubic`, none; `{ upsampler }`, the upsampler at that URL
 * (refused when it is missing, broken or does not fit); or an upsampler already made.
 */
export type DisplaySource = 'auto' | 'bicubic' | { upsampler: string | URL } | DisplayUpsampler;

export interface LoadCachedModelOptions extends Omit<WorldModelOptions, 'display'>, ModelCacheOptions {
  /**
   * Display frames several times the model's size (a learned upsampler's, from the model's frame,
   * the memory of the view at display resolution and proxy depth), which the plug-in shows in place
   * of the bicubic stretch of the model's frame. Default `auto`. Without one (`bicubic`, or auto
   * finding none), the screen shows the model's frame stretched bicubically, as before.
   */
  display?: DisplaySource;
  /** Download progress of the model bytes (a cache hit reports all bytes at once). */
  onProgress?: ProgressCallback;
}

/** The display upsampler `loadCachedModel` gave the model, or why there is none. */
export interface LoadedDisplay {
  /** The model's upsampler (`model.display`), or null: the screen stretches the model's frame bicubically. Yours to dispose after the model. */
  upsampler: DisplayUpsampler | null;
  /** Where its manifest was read; null for none or one handed in. */
  manifestUrl: URL | null;
  /** Its model bytes came from the Cache API. */
  fromCache: boolean;
  /** Size of its ONNX file, bytes (0 for none or one handed in). */
  bytes: number;
  /** Why there is none (`bicubic` asked for, auto found none, or the one found did not fit or load), or null. */
  reason: string | null;
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
  /** The display upsampler the model makes display frames with, or why there is none. */
  display: LoadedDisplay;
}

/**
 * `WorldModel.load` with the model bytes kept in the browser's Cache API, so a reload does not
 * download them again. The manifest is always fetched (it is small) and its hash is part of the
 * cache key: a re-exported model has a new manifest, so a stale cached model is never used, and
 * older entries for the same URL are deleted. When the manifest records the model's sha256, a
 * cached copy that does not match it (storage damaged or tampered with) is thrown away and the
 * model fetched again, and a download that is cut off or does not match is tried again
 * (`retries`, with backoff) before a `download-incomplete` or `model-corrupt` error says so. The
 * display upsampler (`display`, default `auto`) is loaded the same way, before the model, which
 * makes display frames with it (`model.display`).
 */
export async function loadCachedModel(location: string | URL, options: LoadCachedModelOptions = {}): Promise<LoadedModel> {
  const { manifest, url: manifestUrl, text } = await loadManifest(location);
  const { display: source = 'auto', ...modelOptions } = options;
  const display = await loadDisplay(source, manifest, manifestUrl, options);
  try {
    const file = await cachedModelBytes({ url: new URL(manifest.modelFile, manifestUrl), manifestText: text, sha256: manifest.modelSha256, what: `model file "${manifest.modelFile}"` }, options);
    // Read now: onnxruntime's worker takes the bytes (they are transferred).
    const size = file.bytes.length;
    let model: WorldModel;
    try {
      model = await WorldModel.fromBytes(manifest, file.bytes, { ...modelOptions, ...(display.upsampler ? { display: display.upsampler } : {}) });
    } catch (error) {
      await file.forget(); // a model that does not load must not be served from the cache next time
      throw error;
    }
    return { model, fromCache: file.fromCache, cacheRejected: file.cacheRejected, downloads: file.downloads, bytes: size, manifestUrl, display };
  } catch (error) {
    // The model did not load: an upsampler made here goes with it.
    if (display.manifestUrl) await display.upsampler?.dispose();
    throw error;
  }
}

/** The display upsampler `source` asks for, loaded through the model cache; none for `bicubic` or when auto finds none. */
async function loadDisplay(source: DisplaySource, manifest: ModelManifest, manifestUrl: URL, options: LoadCachedModelOptions): Promise<LoadedDisplay> {
  const none = (reason: string): LoadedDisplay => ({ upsampler: null, manifestUrl: null, fromCache: false, bytes: 0, reason });
  if (source === 'bicubic') return none('display: \'bicubic\' was asked for');
  if (typeof source === 'object' && 'upsample' in source) return { upsampler: source, manifestUrl: null, fromCache: false, bytes: 0, reason: null };
  const explicit = typeof source === 'object';
  if (!explicit && source !== 'auto') {
    throw new NextframeError('bad-options', `loadCachedModel: display must be 'auto', 'bicubic', { upsampler: URL } or a DisplayUpsampler, found ${JSON.stringify(source)}.`);
  }
  const at = explicit ? source.upsampler : new URL('../upsampler/', manifestUrl);
  const upsamplerOptions: LoadCachedUpsamplerOptions = {
    fit: { width: manifest.resolution.width, height: manifest.resolution.height, id: manifest.id },
    ...pick(options, ['device', 'threads', 'proxy', 'createSession', 'cache', 'retries', 'retryDelayMs']),
  };
  let read;
  try {
    read = await loadManifest(at, parseUpsamplerManifest);
  } catch (error) {
    // Auto: no upsampler beside the model is the usual case, not a fault.
    if (!explicit && error instanceof NextframeError && error.code === 'model-not-found') return none(`no upsampler at ${String(at)}`);
    if (explicit) throw error;
    return skip(error, at);
  }
  try {
    const loaded = await upsamplerFromManifest(read, upsamplerOptions);
    return { upsampler: loaded.upsampler, manifestUrl: loaded.manifestUrl, fromCache: loaded.fromCache, bytes: loaded.bytes, reason: null };
  } catch (error) {
    if (explicit) throw error;
    return skip(error, at);
  }

  /** Auto found an upsampler it cannot use: the game plays on with bicubic, and says why. */
  function skip(error: unknown, where: string | URL): LoadedDisplay {
    const message = error instanceof Error ? error.message : String(error);
    console.warn(`loadCachedModel: the upsampler at ${String(where)} was not used (${message}); the screen shows the model's frame stretched bicubically.`);
    return none(message);
  }
}

function pick<T extends object, K extends keyof T>(object: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) if (object[key] !== undefined) out[key] = object[key];
  return out;
}
