import RAPIER from '@dimforge/rapier3d-compat';
import type { DisplayUpsampler, Device, WorldModel } from '../../../worldmodel/index.ts';
import { chooseDevice, loadCachedModel, type DeviceChoice, type RapierModule } from '../index.ts';
import { SuspenseCache } from './SuspenseCache.ts';

/** What a `<NextframeWorld>` loads before it can play: the model, Rapier, and where the model runs. */
export interface WorldResources {
  /** The loaded model. Each world plays its own fork of it (own history and memory, one shared session). */
  model: WorldModel;
  /** Rapier, initialised. */
  rapier: RapierModule;
  /** The backend chosen for the requested device, and why. */
  device: DeviceChoice;
  /** The model bytes came from the browser's cache: nothing was downloaded but the manifest. */
  fromCache: boolean;
  /** The display upsampler loaded with the model (`model.display`), freed with it; null for none. */
  upsampler: DisplayUpsampler | null;
}

/** Where the model is and how to run it: what a cache entry is keyed by. */
export interface WorldResourceRequest {
  /** The model's folder or manifest URL, e.g. `/models/arena/`. */
  model: string;
  /** Default `auto`: WebGPU on a hardware adapter, else WASM. */
  device?: Device;
  /** WASM threads; default onnxruntime's (up to 4, fewer without cross-origin isolation). */
  threads?: number;
  /**
   * Display frames: `bicubic` (default) none, `auto` the learned upsampler in `upsampler/` beside the
   * model's folder when there is one that fits, or an upsampler folder's URL (`loadCachedModel`'s
   * `display`).
   */
  upsampler?: string;
}

let rapierReady: Promise<RapierModule> | null = null;

/** Rapier's wasm, initialised once per page. */
function initRapier(): Promise<RapierModule> {
  rapierReady ??= RAPIER.init().then(() => RAPIER);
  return rapierReady;
}

/** The cache key of a request (URL, device, threads). */
export function resourceKey({ model, device = 'auto', threads, upsampler = 'bicubic' }: WorldResourceRequest): string {
  return JSON.stringify([model, device, threads ?? null, upsampler]);
}

async function loadResources(key: string): Promise<WorldResources> {
  const [model, device, threads, upsampler] = JSON.parse(key) as [string, Device, number | null, string];
  const [choice, rapier] = await Promise.all([chooseDevice(device), initRapier()]);
  const display = upsampler === 'auto' || upsampler === 'bicubic' ? upsampler : { upsampler };
  // proxy: WASM runs in onnxruntime's worker, so a model step never blocks r3f's frame loop.
  const loaded = await loadCachedModel(model, { device: choice.device, proxy: true, display, ...(threads !== null ? { threads } : {}) });
  return { model: loaded.model, rapier, device: choice, fromCache: loaded.fromCache, upsampler: loaded.display.upsampler };
}

/**
 * Loaded worlds by request, shared by every `<NextframeWorld>` of the page: one load per model
 * URL, device and thread count; freed a second after no mounted world uses it.
 */
export const worldResources = new SuspenseCache<WorldResources>({
  load: loadResources,
  free: async ({ model, upsampler }) => {
    await model.dispose();
    await upsampler?.dispose(); // after the model: it is the model's display
  },
  // A world unmounted and mounted again soon after (a toggle, a route back) finds it still loaded.
  graceMs: 1000,
});

/**
 * Start loading a world model before a `<NextframeWorld>` asks for it (e.g. when the page
 * opens, while a menu shows), so it does not suspend for long. Resolves when it is loaded.
 */
export function preloadNextframe(request: WorldResourceRequest): Promise<WorldResources> {
  return worldResources.get(resourceKey(request));
}

/**
 * Forget loaded or failed world models that no mounted `<NextframeWorld>` uses (all, or one
 * request's): a failed load is tried again by the next world that asks, a loaded one is freed.
 */
export function clearNextframe(request?: WorldResourceRequest): void {
  worldResources.clear(request ? resourceKey(request) : undefined);
}
