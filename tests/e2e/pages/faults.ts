// Faults a player's browser meets, made on purpose: a damaged cached model, a download cut
// half-way (the test cuts it with page.route), a tab hidden for a minute (the test fakes the
// clock and the page's visibility). Each function reports what the engine did about it.
import RAPIER from '@dimforge/rapier3d-compat';
import { BoxGeometry, HemisphereLight, Mesh, MeshLambertMaterial, PerspectiveCamera, Scene, WebGLRenderer } from 'three';
import { loadCachedModel, WorkerSession, WorldModelPlugin, type FallbackEvent, type LoadCachedModelOptions } from '../../../engine/runtime/index.ts';
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

let plugin: WorldModelPlugin | null = null;
/** Every world frame shown: its tick and pose. */
const shown: { tick: number; x: number; z: number; yaw: number }[] = [];
/** Physics steps each `update` took. */
const stepsPerUpdate: number[] = [];
/** The plug-in's `error` and `fallback` events. */
const pluginErrors: { code: string | null; message: string }[] = [];
const fallbacks: FallbackEvent[] = [];

/**
 * A plug-in walking (forward and turning, no input device) in a box room, driven by animation
 * frames with dt from `performance.now()` (which the test fakes). Like a browser, the loop gets
 * no animation frame while the page is hidden: the first one back spans the whole time away.
 */
let workersStarted = 0;

async function startPlay(url: string, inWorker = false, device: 'wasm' | 'webgpu' = 'wasm') {
  await RAPIER.init();
  const canvas = document.querySelector('canvas')!;
  const renderer = new WebGLRenderer({ canvas });
  renderer.setSize(320, 320, false);
  const scene = new Scene();
  const floor = new Mesh(new BoxGeometry(40, 0.5, 40), new MeshLambertMaterial({ color: 0x888888 }));
  floor.position.y = -0.25;
  const pillar = new Mesh(new BoxGeometry(1, 3, 1), new MeshLambertMaterial({ color: 0xcc2222 }));
  pillar.position.set(0, 1.5, -6);
  scene.add(floor, pillar, new HemisphereLight(0xffffff, 0x444444, 2));
  const camera = new PerspectiveCamera(70);
  camera.position.set(0, 1.6, 0);
  const createSession = (bytes: Uint8Array, options: object) => {
    workersStarted++;
    return WorkerSession.create(bytes, options);
  };
  const model = await WorldModel.load(url, { device, ...(inWorker ? { createSession } : {}) });
  plugin = new WorldModelPlugin({ renderer, scene, camera, model, rapier: RAPIER, input: false, throwing: false, speculation: { mode: 'off' } });
  plugin.markProxy(floor).markProxy(pillar);
  plugin.intent = { forward: 0.5, strafe: 0, yawRate: 0.4, pitchRate: 0, jump: false, interact: false };
  plugin.on('frame', (e) => void shown.push({ tick: e.tick, x: e.pose.x, z: e.pose.z, yaw: e.pose.yaw }));
  plugin.on('error', (e) => void pluginErrors.push({ code: e instanceof NextframeError ? e.code : null, message: e.message }));
  plugin.on('fallback', (e) => void fallbacks.push({ ...e }));
  return { backend: model.backend, fallbackReason: model.fallbackReason, memory: model.memory !== null };
}

/** Start the animation-frame loop (after the test installed its fake clock). */
function beginLoop(): void {
  let last = performance.now();
  const frame = (): void => {
    if (!plugin || plugin.isDisposed) return;
    requestAnimationFrame(frame);
    if (document.visibilityState === 'hidden') return; // a hidden tab gets no animation frames
    const now = performance.now();
    const before = plugin.clock.steps;
    plugin.update((now - last) / 1000);
    stepsPerUpdate.push(plugin.clock.steps - before);
    last = now;
  };
  requestAnimationFrame(frame);
}

/** Hide or show the page as a browser does: `visibilityState`, `hidden` and a `visibilitychange` event. */
function setHidden(hidden: boolean): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  document.dispatchEvent(new Event('visibilitychange'));
}

/** A host that keeps calling `update` from a timer while hidden (timers still run there). */
function updateWhileHidden(times: number): void {
  for (let i = 0; i < times; i++) plugin!.update(1 / 60);
}

/**
 * Lose the model's device mid-play through the test hook: its runs fail with `device-lost` as
 * after a real WebGPU device loss (this Chromium has no WebGPU: the session was WASM already).
 */
function loseDevice(reason = 'test: the GPU device was lost'): void {
  plugin!.model.loseDevice(reason);
}

/** Dispose the plug-in and its model (with a WorkerSession: the worker is terminated); then a model run is refused. */
async function stopPlay() {
  const p = plugin!;
  plugin = null;
  p.dispose();
  await p.idle();
  await p.model.dispose();
  const refused = await p.model.step({}).then(() => null, (e: unknown) => (e instanceof NextframeError ? e.code : String(e)));
  return { refused };
}

/** Where play stands. */
async function playState(settle = false) {
  const p = plugin!;
  if (!p) throw new Error('faults page: no play going on');
  if (settle) await p.idle();
  const { x, y, z, yaw, pitch } = p.character.pose;
  return {
    steps: p.clock.steps,
    ticks: p.clock.ticks,
    modelTick: p.model.tick,
    shownTick: p.shown.tick,
    keyframes: p.model.memory?.size ?? null,
    pose: { x, y, z, yaw, pitch },
    suspended: p.suspended,
    paused: p.paused,
    shown: shown.slice(),
    updates: stepsPerUpdate.length,
    workersStarted,
    sessionRestarts: p.sessionRestarts,
    backend: p.model.backend,
    deviceLost: p.model.deviceLost,
    errors: pluginErrors.slice(),
    fallbacks: fallbacks.slice(),
    lastUpdateSteps: stepsPerUpdate.slice(-3),
    updateSteps: stepsPerUpdate.slice(),
  };
}

Object.assign(window as unknown as object, { corruptCache, tryLoad, startPlay, beginLoop, loseDevice, stopPlay, setHidden, updateWhileHidden, playState });
document.body.dataset.ready = 'true';
