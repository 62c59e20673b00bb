// Create-and-dispose checks for the plug-in's resource owners in a real browser: GPU memory
// (three's renderer.info), Rapier bodies, DOM listeners and elements all go back to where they were.
import RAPIER from '@dimforge/rapier3d-compat';
import { BoxGeometry, HemisphereLight, Mesh, MeshLambertMaterial, PerspectiveCamera, Scene, SphereGeometry, WebGLRenderer } from 'three';
import { loadCachedModel, PlayerInput, TouchJoysticks, TruthCapture, WorldCompositor, WorldModelPlugin } from '../../../engine/runtime/index.ts';
import { WorldModel } from '../../../worldmodel/index.ts';

// Count live DOM listeners on window, document and elements by wrapping the EventTarget methods.
let liveListeners = 0;
const add = EventTarget.prototype.addEventListener;
const remove = EventTarget.prototype.removeEventListener;
const seen = new WeakMap<object, Set<unknown>>();
EventTarget.prototype.addEventListener = function (type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions) {
  const key = `${type}`;
  const set = seen.get(this) ?? new Set();
  seen.set(this, set);
  const id = [key, listener];
  if (listener && ![...set].some((s) => (s as unknown[])[0] === key && (s as unknown[])[1] === listener)) {
    set.add(id);
    liveListeners++;
  }
  return add.call(this, type, listener, options);
};
EventTarget.prototype.removeEventListener = function (type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions) {
  const set = seen.get(this);
  const entry = set && [...set].find((s) => (s as unknown[])[0] === type && (s as unknown[])[1] === listener);
  if (entry) {
    set!.delete(entry);
    liveListeners--;
  }
  return remove.call(this, type, listener, options);
};

async function lifecycle(modelUrl: string) {
  await RAPIER.init();
  await import('nipplejs'); // its singleton keeps two window listeners for good: count them in "before"

  const canvas = document.querySelector('canvas')!;
  const renderer = new WebGLRenderer({ canvas });
  renderer.setSize(640, 360, false);
  const scene = new Scene();
  const floor = new Mesh(new BoxGeometry(20, 0.5, 20), new MeshLambertMaterial({ color: 0x888888 }));
  floor.position.y = -0.25;
  const ball = new Mesh(new SphereGeometry(0.3), new MeshLambertMaterial({ color: 0xff0000 }));
  ball.position.set(0, 1, -3);
  scene.add(floor, ball, new HemisphereLight(0xffffff, 0x444444, 2));
  const camera = new PerspectiveCamera(70);
  camera.position.set(0, 1.6, 2);
  const model = await WorldModel.load(modelUrl, { device: 'wasm' });
  renderer.render(scene, camera); // the scene's own resources count as "before"
  const before = { ...renderer.info.memory, listeners: liveListeners, children: scene.children.length };

  const input = new PlayerInput({ element: canvas, touch: true });
  await input.touchReady;
  const touchLayers = document.querySelectorAll('.nf-touch').length;
  const plugin = new WorldModelPlugin({ renderer, scene, camera, model, rapier: RAPIER });
  plugin.markProxy(floor);
  plugin.markOverlay(ball, { mass: 1 });
  plugin.throwBall();
  plugin.throwBall();
  await new Promise<void>((resolve) => {
    const off = plugin.on('frame', (e) => {
      if (e.tick >= 3) {
        off();
        resolve();
      }
    });
    const loop = (): void => {
      if (plugin.isDisposed) return;
      plugin.update(1 / 60);
      requestAnimationFrame(loop);
    };
    loop();
  });
  const during = { ...renderer.info.memory, listeners: liveListeners, bodies: plugin.physics.world.bodies.len(), children: scene.children.length };
  plugin.dispose();
  input.dispose();
  await plugin.idle();
  const after = { ...renderer.info.memory, listeners: liveListeners, children: scene.children.length, touchLayers: document.querySelectorAll('.nf-touch').length };

  // The render pieces on their own (every view mode, so each texture is uploaded).
  const beforePieces = { ...renderer.info.memory };
  const compositor = new WorldCompositor({ renderer, width: 32, height: 32 });
  compositor.render({ scene, camera, proxies: [floor] });
  compositor.setMemory(null);
  compositor.render({ scene, camera, proxies: [floor], mode: 'memory' });
  const truth = new TruthCapture({ renderer, width: 32, height: 32 });
  const frame = truth.capture(scene, camera, [ball]);
  const withPieces = { ...renderer.info.memory };
  compositor.dispose();
  truth.dispose();
  const withoutPieces = { ...renderer.info.memory };

  const joysticks = await TouchJoysticks.load();
  const joystickElements = document.querySelectorAll('.nf-joystick-zone').length;
  joysticks.dispose();
  const joysticksAfter = document.querySelectorAll('.nf-joystick-zone').length;

  await model.dispose();
  renderer.dispose();
  return {
    before, during, after, touchLayers, joystickElements, joysticksAfter, beforePieces, withPieces, withoutPieces,
    truthRange: [Math.min(...frame), Math.max(...frame)],
    physicsFreed: plugin.physics.isDisposed,
  };
}

/** A plug-in made with a 50° camera and a 1 m eye height: what it warns about, on the console too. */
async function outOfRange(modelUrl: string) {
  await RAPIER.init();
  const renderer = new WebGLRenderer({ canvas: document.querySelector('canvas')! });
  const camera = new PerspectiveCamera(50);
  const model = await WorldModel.load(modelUrl, { device: 'wasm' });
  const logged: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void logged.push(args.join(' '));
  try {
    const plugin = new WorldModelPlugin({ renderer, scene: new Scene(), camera, model, rapier: RAPIER, input: false, character: { eyeHeight: 1 } });
    const result = { warnings: [...plugin.rangeWarnings], logged, cameraFov: camera.fov };
    plugin.dispose();
    await plugin.idle();
    return result;
  } finally {
    console.warn = warn;
    await model.dispose();
    renderer.dispose();
  }
}

/**
 * A plug-in on a model with a display upsampler (loaded by `loadCachedModel`): it paints display
 * frames, and dispose frees the display texture and the display-size truth capture as well.
 */
async function displayLifecycle(modelUrl: string, upsamplerUrl: string) {
  await RAPIER.init();
  const canvas = document.querySelector('canvas')!;
  const renderer = new WebGLRenderer({ canvas });
  renderer.setSize(640, 360, false);
  const scene = new Scene();
  const floor = new Mesh(new BoxGeometry(20, 0.5, 20), new MeshLambertMaterial({ color: 0x888888 }));
  floor.position.y = -0.25;
  scene.add(floor, new HemisphereLight(0xffffff, 0x444444, 2));
  const camera = new PerspectiveCamera(70);
  camera.position.set(0, 1.6, 2);
  const loaded = await loadCachedModel(modelUrl, { device: 'wasm', cache: false, display: { upsampler: upsamplerUrl } });
  const { model } = loaded;
  renderer.render(scene, camera);
  const before = { ...renderer.info.memory };
  const plugin = new WorldModelPlugin({ renderer, scene, camera, model, rapier: RAPIER, input: false, display: 'learned' });
  plugin.markProxy(floor);
  const displays: number[] = [];
  await new Promise<void>((resolve) => {
    const off = plugin.on('frame', (e) => {
      displays.push(e.display ? e.display.length : 0);
      if (e.tick >= 3) {
        off();
        resolve();
      }
    });
    const loop = (): void => {
      if (plugin.isDisposed) return;
      plugin.update(1 / 60);
      requestAnimationFrame(loop);
    };
    loop();
  });
  const during = { ...renderer.info.memory };
  const drawn = plugin.displayDrawn;
  plugin.dispose();
  await plugin.idle();
  const after = { ...renderer.info.memory };
  await model.dispose();
  await loaded.display.upsampler?.dispose();
  renderer.dispose();
  return { before, during, after, displays, drawn, upsampler: loaded.display.manifestUrl?.pathname ?? null };
}

Object.assign(window as unknown as object, { lifecycle, outOfRange, displayLifecycle });
document.body.dataset.ready = 'true';
