// What every demo page does: pick a model and a backend, load with progress (cached), build the
// arena in Three.js and Rapier, hand both to the WorldModelPlugin, run the loop, keep the HUD.
import RAPIER from '@dimforge/rapier3d-compat';
import { type Light, type Object3D, PCFShadowMap, PerspectiveCamera, WebGLRenderer } from 'three';
import {
  buildPhysicsWorld,
  chooseDevice,
  DynamicResolution,
  loadCachedModel,
  loadScene,
  type LoadedScene,
  PlayerInput,
  saveRecording,
  spawnPointFor,
  WorldModelPlugin,
  type FrameEvent,
  type StatsEvent,
  type ViewMode,
} from '../../engine/runtime/index.ts';
import { NextframeError, SeededRandom, type Device, type SpeculativeSchedulerOptions } from '../../worldmodel/index.ts';
import { createDebugHooks, type DemoDebug } from './debugHooks.ts';
import { displayPolicy, displaySource, setUpSplitKey, showDisplay } from './displayControls.ts';
import { DEFAULT_WORLD, GENERALIST_MODEL, WORLDS, type DemoWorld } from './worlds.ts';
import { addNote, askToContinue, byId, hideLoading, mb, removeNote, setUpHelp, showFailure, showLoadingText, showProgress } from './ui.ts';

/** When the world's own model has not been shipped, the random-weights fixture plays. */
const FIXTURE_MODEL = '/tests/fixtures/tiny/';

/** Everything a test (or a curious player, in the console) can read at window.__nextframe. */
export interface DemoStatus {
  ready: boolean;
  /** World frames painted since the (re)start. */
  frames: number;
  backend: string;
  lastStepMs: number;
  error: string;
  model: string;
  fixture: boolean;
  fromCache: boolean | null;
  /** Why WebGPU is not used, or null. */
  fallbackReason: string | null;
  wasmThreads: boolean;
  stats: StatsEvent | null;
  debug: DemoDebug | null;
  /** The scene as built: its id (a generated world's names its seed) and content hash. */
  scene: { id: string; hash: string } | null;
  /** The last episode saved by record mode (R), or null. */
  recorded: { folder: string; ticks: number; how: 'server' | 'download'; where: string; ok: boolean; reasons: string[] } | null;
  /** The display upsampler loaded (its manifest URL), or null and why there is none. */
  display: { upsampler: string | null; reason: string | null } | null;
}

export interface DemoOptions {
  /** What the screen shows. Default `model`. */
  view?: ViewMode;
  /** Capture ground truth at every world frame (`FrameEvent.truth`). */
  captureTruth?: boolean;
  onFrame?: (event: FrameEvent) => void;
}

export async function bootDemo(options: DemoOptions = {}): Promise<WorldModelPlugin | null> {
  const status: DemoStatus = { ready: false, frames: 0, backend: '', lastStepMs: 0, error: '', model: '', fixture: false, fromCache: null, fallbackReason: null, wasmThreads: false, stats: null, debug: null, scene: null, recorded: null, display: null };
  (window as unknown as { __nextframe: DemoStatus }).__nextframe = status;
  const fail = (error: unknown, code?: string): null => {
    const shown = showFailure(error, code);
    status.error = `${shown}: ${error instanceof Error ? error.message : String(error)}`;
    return null;
  };
  try {
    // Marks of the first seconds (the soak command breaks firstFrameSeconds down by them).
    performance.mark('nextframe:boot');
    const params = new URLSearchParams(location.search);
    const requested = parseDevice(params.get('device'));
    if (typeof WebAssembly === 'undefined' && !('gpu' in navigator)) return fail(new Error('This browser has neither WebAssembly nor WebGPU.'), 'no-wasm');

    const choice = await chooseDevice(requested);
    status.wasmThreads = choice.wasmThreads;
    if (choice.device === 'wasm' && !choice.wasmThreads && requested === 'auto') {
      await askToContinue(
        'No WebGPU and no WASM threads',
        `WebGPU: ${choice.reason ?? 'unavailable'}.\nWASM threads: ${choice.threadsReason ?? 'unavailable'}.\nThe world model can only run on one CPU thread here, so the world will advance slowly.`,
        'For full speed use a recent Chrome or Edge (WebGPU), or serve the page with cross-origin isolation headers (COOP/COEP; `npm start` does) so WASM can use threads.',
        'Play anyway on one thread',
      );
    }

    // ?scene=URL plays your own scene module (served by the dev server) with ?model=URL, or the
    // generalist (trained on many generated worlds) when no model is given.
    const sceneUrl = params.get('scene');
    const worldId = sceneUrl ? (sceneUrl.split('/').pop() ?? 'scene').replace(/\.[cm]?[jt]s$/, '') : (params.get('world') ?? DEFAULT_WORLD);
    const world: DemoWorld | undefined = sceneUrl ? { title: worldId, load: () => import(/* @vite-ignore */ sceneUrl), source: sceneUrl, model: GENERALIST_MODEL } : WORLDS[worldId];
    if (!world) return fail(new NextframeError('bad-world', `No world "${worldId}" here; the worlds are ${Object.keys(WORLDS).join(', ')} (?world=<id>), or play your own scene module with ?scene=/path/to/scene.ts&model=/models/<id>/.`), 'bad-world');
    setUpWorldMenu(worldId);
    const { url, fixture } = await pickModel(params.get('model'), world.model);
    status.model = url;
    status.fixture = fixture;
    showLoadingText('Loading the world model…', url);
    // Leave a core for drawing: on a 2-core machine the model gets one thread, the page the other.
    const threads = Number(params.get('threads')) || Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1));
    const display = displaySource(params.get('upsampler'), url);
    const loaded = await loadCachedModel(url, { device: choice.device, proxy: true, threads, onProgress: showProgress, display });
    const { model } = loaded;
    const upsampler = loaded.display.upsampler;
    status.display = { upsampler: loaded.display.manifestUrl?.pathname ?? null, reason: loaded.display.reason };
    performance.mark('nextframe:model-loaded');
    status.fromCache = loaded.fromCache;
    status.backend = model.backend;
    status.fallbackReason = model.fallbackReason ?? (model.backend === 'wasm' ? choice.reason : null);
    showLoadingText(loaded.fromCache ? `Loaded from cache (${mb(loaded.bytes)}, nothing downloaded)` : `Downloaded ${mb(loaded.bytes)}`, 'Building the world…');

    await RAPIER.init();
    const canvas = byId<HTMLCanvasElement>('world');
    let renderer: WebGLRenderer;
    try {
      // No MSAA: the world frame is a smooth upscale, and software GPUs pay dearly for it.
      renderer = new WebGLRenderer({ canvas, antialias: false, powerPreference: 'high-performance' });
    } catch (error) {
      return fail(error, 'no-webgl');
    }
    // Shadows as in the recorded training data, so the ground-truth start view matches it.
    renderer.shadowMap.enabled = true;
    renderer.shadowMap.type = PCFShadowMap;
    renderer.setClearColor(0x0b0d12);
    const view = options.view ?? parseView(params.get('view'));
    // Fewer pixels when drawing is what holds the display rate down (software GPUs); ?scale=N pins it.
    const pinned = params.has('scale') ? Number(params.get('scale')) : null;
    const resolution = new DynamicResolution({ targetFps: 50 });
    const pixelRatio = (): number => Math.min(devicePixelRatio, 2) * (pinned ?? resolution.scale);
    // The canvas covers only what is drawn (the frame, or both frames side by side), not the
    // letterbox around it: browsers that composite in software pay per pixel of canvas on screen.
    const resize = (): void => {
      const landscape = innerWidth >= innerHeight;
      const aspect = (model.width / model.height) * (view === 'split' ? (landscape ? 2 : 0.5) : 1);
      const width = Math.floor(Math.min(innerWidth, innerHeight * aspect));
      const height = Math.floor(Math.min(innerHeight, width / aspect));
      Object.assign(canvas.style, { width: `${width}px`, height: `${height}px`, left: `${Math.floor((innerWidth - width) / 2)}px`, top: `${Math.floor((innerHeight - height) / 2)}px` });
      renderer.setPixelRatio(pixelRatio());
      renderer.setSize(width, height, false);
    };
    resize();
    addEventListener('resize', resize);

    // ?worldSeed=N: which world a generator builds (generated worlds); scenes that ignore it are fine.
    const worldSeed = Number(params.get('worldSeed') ?? world.seed ?? 0);
    const three: LoadedScene = await loadScene(await world.load(), { seed: Number.isInteger(worldSeed) && worldSeed >= 0 ? worldSeed : 0, id: worldId, source: world.source });
    status.scene = { id: three.id, hash: three.hash };
    const desc = three.layout;
    const physics = buildPhysicsWorld(desc, RAPIER);
    const spawn = spawnPointFor(desc, physics, new SeededRandom(Number(params.get('seed') ?? 3)));
    const input = new PlayerInput({
      element: canvas,
      pointerLock: params.get('lock') !== '0',
      onPauseChange: (paused) => (paused ? addNote('note-paused', 'Input paused: the page lost focus. Click the world to play on.', 'info') : removeNote('note-paused')),
    });
    const plugin = new WorldModelPlugin({
      renderer,
      scene: three.scene,
      camera: new PerspectiveCamera(model.manifest.camera.fovYDegrees), // the model's own: no field-of-view warning
      model,
      rapier: RAPIER,
      physics,
      spawn,
      input,
      view,
      captureTruth: options.captureTruth ?? false,
      onBeforeRender: (camera) => three.beforeRender(camera),
      world: { id: three.id, hash: three.hash },
      ...parseSpeculation(params.get('speculation')),
      ...displayPolicy(params.get('display')),
      displaySplit: params.get('split') === '1',
    });
    // The model paints everything but the lights and the overlays; physics has the colliders.
    for (const part of paintedParts(three)) plugin.markProxy(part, { collider: false });
    physics.dynamics.forEach(({ body }, i) => {
      const mesh = three.overlays[i];
      if (mesh) plugin.markOverlay(mesh, { body });
    });
    if (plugin.sceneWarning) addNote('note-scene', `This world model learned another scene: ${plugin.sceneWarning}`);
    performance.mark('nextframe:world-built');
    status.debug = createDebugHooks(plugin, renderer, model, desc);
    (window as unknown as { __nextframePlugin: WorldModelPlugin }).__nextframePlugin = plugin; // for the console

    const hud = { fps: byId('hud-fps'), model: byId('hud-model'), world: byId('hud-world'), backend: byId('hud-backend'), memory: byId('hud-memory'), speculation: document.getElementById('hud-speculation'), display: document.getElementById('hud-display') };
    showMemory(hud.memory, plugin.memoryState, null);
    const refreshDisplay = (): void => void (hud.display && showDisplay(hud.display, plugin, plugin.latestStats));
    hud.backend.textContent = model.backend.toUpperCase();
    hud.backend.title = model.backend === 'wasm' ? `WASM in a worker, ${choice.wasmThreads ? 'multi-threaded' : 'one thread'}` : 'WebGPU';
    plugin.on('frame', (event) => {
      status.frames = event.tick;
      if (event.tick > 0) {
        status.lastStepMs = event.ms;
        status.ready = true;
      }
      options.onFrame?.(event);
    });
    plugin.on('stats', (stats) => {
      status.stats = stats;
      hud.fps.textContent = `${stats.displayFps.toFixed(0)} fps`;
      hud.model.textContent = `${stats.modelMs.toFixed(1)} ms/frame`;
      hud.world.textContent = `world ${stats.worldFps.toFixed(0)}/s`;
      showMemory(hud.memory, stats.memoryState, stats);
      if (hud.display) showDisplay(hud.display, plugin, stats);
      if (hud.speculation && stats.speculationAuto) {
        const rate = stats.speculationHitRate === null ? '' : ` ${Math.round(stats.speculationHitRate * 100)} %`;
        hud.speculation.textContent = `spec auto·${stats.speculationMode}${rate}`;
        const chose = stats.speculationMode === 'off' ? 'off (a speculated frame does not fit in a tick now)' : `${stats.speculationMode}-branch, ${stats.speculationBranches} candidate${stats.speculationBranches === 1 ? '' : 's'}, ${stats.speculationLookahead} tick${stats.speculationLookahead === 1 ? '' : 's'} ahead`;
        hud.speculation.title = `speculative sampling, chosen from the model's timing here: ${chose}; share of world frames that were ready when their tick came`;
      } else if (hud.speculation && stats.speculationMode === 'off') {
        hud.speculation.textContent = 'spec off';
        hud.speculation.title = 'speculative sampling is off (?speculation=off)';
      } else if (hud.speculation && stats.speculationHitRate !== null) {
        hud.speculation.textContent = `spec ${Math.round(stats.speculationHitRate * 100)} %`;
        hud.speculation.title = `speculative sampling (${stats.speculationMode}): share of world frames that were ready when their tick came`;
      }
      hud.fps.title = `display frame rate; ${stats.drawFps.toFixed(0)} draws/s at ${Math.round(100 * (pinned ?? resolution.scale))}% resolution`;
      if (pinned === null && resolution.update(stats.displayFps, stats.drawFps) !== renderer.getPixelRatio() / Math.min(devicePixelRatio, 2)) {
        renderer.setPixelRatio(pixelRatio());
      }
    });
    plugin.on('error', (error) => {
      renderer.setAnimationLoop(null);
      fail(new NextframeError('model-step-failed', `The world model threw while painting frame ${plugin.shown.tick + 1}: ${error.message}`), 'model-step-failed');
    });

    if (fixture) addNote('note-fixture', `Playing the random-weights test fixture (tests/fixtures/tiny): it paints moving texture, not a world. The trained ${worldId} model is used once public${world.model} exists.`, 'info');
    if (status.fallbackReason) addNote('note-backend', `Running on WASM: ${status.fallbackReason}.`);
    if (model.backend === 'wasm' && !choice.wasmThreads) addNote('note-threads', `WASM runs on one thread: ${choice.threadsReason}.`);

    let last = performance.now();
    renderer.setAnimationLoop(() => {
      const now = performance.now();
      plugin.update((now - last) / 1000);
      last = now;
    });
    setUpMemoryKeys(plugin, view, () => showMemory(hud.memory, plugin.memoryState, plugin.latestStats));
    setUpSplitKey(plugin, refreshDisplay);
    setUpRecordKey(plugin, status, params.get('save') === 'download' ? 'download' : 'auto');
    hideLoading();
    byId('hud').hidden = false;
    setUpHelp(!params.has('nohelp'));
    addEventListener('pagehide', () => {
      renderer.setAnimationLoop(null);
      plugin.dispose();
      input.dispose();
      three.dispose();
      physics.dispose();
      void model.dispose().then(() => upsampler?.dispose()); // the upsampler after the model it paints for
      renderer.dispose();
    });
    return plugin;
  } catch (error) {
    return fail(error);
  }
}

/** The top-level parts of a scene the model paints: all but lights and what holds overlays. */
function paintedParts(loaded: LoadedScene): Object3D[] {
  const overlays = new Set(loaded.overlays);
  const holdsOverlay = (object: Object3D): boolean => {
    let found = false;
    object.traverse((child) => (found ||= overlays.has(child)));
    return found;
  };
  return loaded.scene.children.filter((child) => !(child as Light).isLight && !holdsOverlay(child));
}

/** The world menu: picking one reloads the page on it (scene and model together). */
function setUpWorldMenu(current: string): void {
  const menu = document.getElementById('world-menu') as HTMLSelectElement | null;
  if (!menu) return;
  menu.replaceChildren(...Object.entries(WORLDS).map(([id, w]) => new Option(w.title, id, id === current, id === current)));
  menu.hidden = false;
  menu.addEventListener('change', () => {
    const params = new URLSearchParams(location.search);
    params.set('world', menu.value);
    params.delete('model');
    location.search = params.toString();
  });
  // Keys typed into the menu are not the player's.
  menu.addEventListener('keydown', (e) => e.stopPropagation());
}

async function pickModel(requested: string | null, worldModel: string): Promise<{ url: string; fixture: boolean }> {
  if (requested) return { url: requested, fixture: requested.replace(/\/?$/, '/') === FIXTURE_MODEL };
  try {
    const response = await fetch(`${worldModel}manifest.json`, { cache: 'no-cache' });
    if (response.ok) {
      JSON.parse(await response.text());
      return { url: worldModel, fixture: false };
    }
  } catch {
    // Not there (or not JSON): play the fixture.
  }
  return { url: FIXTURE_MODEL, fixture: true };
}

function parseDevice(value: string | null): Device {
  return value === 'wasm' || value === 'webgpu' ? value : 'auto';
}

/** `?speculation=off|single|multi` overrides the plug-in's default, `auto` (single: the gentlest, 1 tick ahead, 1 frame a tick). */
function parseSpeculation(value: string | null): { speculation?: SpeculativeSchedulerOptions | 'auto' } {
  if (value === 'off') return { speculation: { mode: 'off' } };
  if (value === 'single') return { speculation: { mode: 'single', lookahead: 1, budget: 1 } };
  if (value === 'multi') return { speculation: { mode: 'multi' } };
  if (value === 'auto') return { speculation: 'auto' };
  return {};
}

function parseView(value: string | null): ViewMode {
  return value === 'split' || value === 'truth' || value === 'memory' ? value : 'model';
}

/** The HUD's memory item: coverage of the last world frame's memory stream, `off`, or `–` for a model without memory. */
function showMemory(element: HTMLElement, state: WorldModelPlugin['memoryState'], stats: StatsEvent | null): void {
  if (state === 'none') {
    element.textContent = 'memory –';
    element.title = 'spatial memory: this model has none';
    return;
  }
  const coverage = stats?.memoryCoverage ?? null;
  element.textContent = state === 'off' ? 'memory off' : coverage === null ? 'memory on' : `memory ${Math.round(coverage * 100)} %`;
  const detail = stats && stats.memoryKeyframes !== null ? `; ${stats.memoryKeyframes} keyframes held, ${(stats.memoryMs ?? 0).toFixed(1)} ms per frame` : '';
  element.title = `spatial memory: share of the view it covered for the last frame${detail}. M shows what it gives the model, N turns it ${state === 'off' ? 'on' : 'off'}.`;
}

/**
 * R: record your own play (the real view, proxy depth, pose and action every tick) and R again to
 * save it as an episode: to data/recorded/ through the dev server, or as a download.
 */
function setUpRecordKey(plugin: WorldModelPlugin, status: DemoStatus, mode: 'auto' | 'download'): void {
  let timer = 0;
  const show = (): void => {
    const capture = plugin.recording;
    if (!capture) return;
    addNote('note-recording', `● Recording your play: ${capture.ticks} ticks${capture.full ? ' (full)' : ''}. R to stop and save.`);
  };
  addEventListener('keydown', (e) => {
    if (e.repeat || e.ctrlKey || e.metaKey || e.altKey || plugin.isDisposed || e.code !== 'KeyR') return;
    if (!plugin.recording) {
      plugin.startRecording();
      show();
      timer = window.setInterval(show, 500);
      return;
    }
    clearInterval(timer);
    const capture = plugin.stopRecording()!;
    removeNote('note-recording');
    if (capture.ticks < 2) return addNote('note-recorded', 'Recording stopped before a single tick: nothing saved.', 'info');
    void saveRecording(capture, mode).then(
      (saved) => {
        status.recorded = { folder: capture.folder, ticks: capture.ticks, ...saved };
        const text = !saved.ok
          ? `The recording (${capture.ticks} ticks) was refused: ${saved.reasons.join('; ')}`
          : saved.how === 'server'
            ? `Saved ${capture.ticks} ticks to ${saved.where}: train on it with npx nextframe train --data ${saved.where.replace(/\/episode-[^/]+$/, '')}`
            : `Downloaded ${saved.where} (${capture.ticks} ticks): unpack it into a dataset folder (tar -xf) and train on that.`;
        addNote('note-recorded', text, saved.ok ? 'info' : undefined);
      },
      (error: unknown) => addNote('note-recorded', `Could not save the recording: ${(error as Error).message}`),
    );
  });
}

/** M: the memory view (what spatial memory gives the model) and back; N: memory on and off. */
function setUpMemoryKeys(plugin: WorldModelPlugin, startView: ViewMode, refresh: () => void): void {
  let back: ViewMode = startView === 'memory' ? 'model' : startView;
  let noteTimer = 0;
  const noMemory = (): void => {
    addNote('note-memory', 'This model has no spatial memory: M and N do nothing.', 'info');
    clearTimeout(noteTimer);
    noteTimer = window.setTimeout(() => removeNote('note-memory'), 4000);
  };
  addEventListener('keydown', (e) => {
    if (e.repeat || e.ctrlKey || e.metaKey || e.altKey || plugin.isDisposed) return;
    if (e.code !== 'KeyM' && e.code !== 'KeyN') return;
    if (!plugin.hasMemory) return noMemory();
    if (e.code === 'KeyM') {
      if (plugin.view === 'memory') plugin.view = back;
      else {
        back = plugin.view;
        plugin.view = 'memory';
      }
    } else {
      plugin.memoryEnabled = !plugin.memoryEnabled;
      refresh();
    }
  });
}
