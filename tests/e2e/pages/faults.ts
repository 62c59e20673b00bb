// Faults a player's browser meets, made on purpose: a damaged cached model, a download cut
// half-way (the test cuts it with page.route), a tab hidden for a minute (the test fakes the
// clock and the page's visibility). Each function reports what the engine did about it.
import { loadCachedModel, type LoadCachedModelOptions } from '../../../engine/runtime/index.ts';
import { NextframeError, WorldModel } from '../../../worldmodel/index.ts';

const CACHE = 'nf-faults';

/** One frame painted from a flat start: the model really works. */
async function paintsAFrame(model: WorldModel): Promise<boolean> {
  const F = 3 * model.width * model.height;
  model.reset(Array.from({ length: model.contextFrames }, () => new Float32Array(F).fill(0.2)));
  const frame = await model.step({});
  return frame.length === F && frame.every(Number.isFinite);
}

/** Load into an empty cache, damage the cached copy (one byte), load again, and once more. */
async function corruptCache(url: string) {
  await caches.delete(CACHE);
  const options: LoadCachedModelOptions = { cache: CACHE, device: 'wasm' };
  const first = await loadCachedModel(url, options);
  await first.model.dispose();

  const cache = await caches.open(CACHE);
  const keys = await cache.keys();
  const good = new Uint8Array(await (await cache.match(keys[0]!))!.arrayBuffer());
  const damaged = good.slice();
  damaged[damaged.length >> 1]! ^= 0xff; // still starts like an ONNX file: only the hash can tell
  await cache.put(keys[0]!, new Response(damaged));

  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
  let second;
  try {
    second = await loadCachedModel(url, options);
  } finally {
    console.warn = warn;
  }
  const secondPaints = await paintsAFrame(second.model);
  await second.model.dispose();
  const recached = new Uint8Array(await (await cache.match(keys[0]!))!.arrayBuffer());

  const third = await loadCachedModel(url, options);
  await third.model.dispose();
  await caches.delete(CACHE);
  const pick = (l: { fromCache: boolean; cacheRejected: boolean; downloads: number }) => ({ fromCache: l.fromCache, cacheRejected: l.cacheRejected, downloads: l.downloads });
  return {
    first: pick(first),
    second: { ...pick(second), paints: secondPaints },
    third: pick(third),
    cachedKeys: keys.length,
    recachedIsGood: recached.length === good.length && recached.every((b, i) => b === good[i]),
    warnings,
  };
}

/** `loadCachedModel` (no cache) or `WorldModel.load`: what came back, or the error's code and message. */
async function tryLoad(url: string, how: 'cached' | 'plain', retryDelayMs = 50) {
  try {
    if (how === 'plain') {
      const model = await WorldModel.load(url, { device: 'wasm' });
      const paints = await paintsAFrame(model);
      await model.dispose();
      return { ok: true, paints, downloads: 1 };
    }
    const loaded = await loadCachedModel(url, { cache: false, device: 'wasm', retryDelayMs });
    const paints = await paintsAFrame(loaded.model);
    await loaded.model.dispose();
    return { ok: true, paints, downloads: loaded.downloads };
  } catch (error) {
    return { ok: false, code: error instanceof NextframeError ? error.code : null, message: error instanceof Error ? error.message : String(error) };
  }
}

Object.assign(window as unknown as object, { corruptCache, tryLoad });
document.body.dataset.ready = 'true';
