// The arena demo: walk around a world painted by the world model. Input → action → the model
// paints the next frame at its tick rate; the page draws the newest frame every display frame.
import { frameToRGBA, NextframeError, WorldModel } from '../../worldmodel/index.ts';

// Until the trained arena model ships, the demo plays the random-weights test fixture.
const DEFAULT_MODEL = '/tests/fixtures/tiny/';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const canvas = $<HTMLCanvasElement>('world');
const status = { ready: false, frames: 0, backend: '', lastStepMs: 0, error: '' };
(window as unknown as { __nextframe: typeof status }).__nextframe = status;

const keys = new Set<string>();
addEventListener('keydown', (e) => keys.add(e.code));
addEventListener('keyup', (e) => keys.delete(e.code));
addEventListener('blur', () => keys.clear()); // no stuck keys when the page loses focus

function currentAction(): Record<string, number> {
  const axis = (plus: string[], minus: string[]): number => (plus.some((k) => keys.has(k)) ? 1 : 0) - (minus.some((k) => keys.has(k)) ? 1 : 0);
  return {
    forward: 0.25 * axis(['KeyW', 'ArrowUp'], ['KeyS', 'ArrowDown']),
    strafe: 0.25 * axis(['KeyD'], ['KeyA']),
    yaw: 0.12 * axis(['ArrowLeft', 'KeyQ'], ['ArrowRight', 'KeyE']),
    jump: keys.has('Space') ? 1 : 0,
  };
}

function showFailure(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof NextframeError ? error.code : 'error';
  const todo: Record<string, string> = {
    'model-not-found': 'The model files are missing. Run `npm start` from the repository so /models and /tests/fixtures are served.',
    'manifest-invalid': 'The manifest does not validate. Re-export the model with `npx nextframe export`.',
    'manifest-mismatch': 'The manifest and model.onnx disagree. Export them together with `npx nextframe export`.',
    'not-onnx': 'The model file is not ONNX. Re-export it with `npx nextframe export`.',
  };
  status.error = `${code}: ${message}`;
  $('loading').hidden = true;
  $('failure').hidden = false;
  $('failure-what').textContent = message;
  $('failure-todo').textContent = todo[code] ?? 'Reload the page; if it happens again, open the console and report the message above.';
}

async function start(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const device = params.get('device') === 'wasm' ? 'wasm' : params.get('device') === 'webgpu' ? 'webgpu' : 'auto';
  const bar = $<HTMLProgressElement>('loading-bar');
  const model = await WorldModel.load(params.get('model') ?? DEFAULT_MODEL, {
    device,
    onProgress: (loaded, total) => {
      bar.value = total ? loaded / total : 0;
      $('loading-text').textContent = `Loading the world model… ${(loaded / 1e6).toFixed(2)} MB${total ? ` of ${(total / 1e6).toFixed(2)} MB` : ''}`;
    },
  });
  const { width, height } = model;
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d')!;
  const image = context.createImageData(width, height);

  model.reset(Array.from({ length: model.contextFrames }, () => horizon(width, height)));
  status.backend = model.backend;
  $('hud-backend').textContent = model.backend.toUpperCase();
  if (model.fallbackReason) {
    $('note').hidden = false;
    $('note').textContent = `Running on WASM: ${model.fallbackReason}.`;
  }
  $('loading').hidden = true;
  $('hud').hidden = false;

  const frame = new Float32Array(3 * width * height);
  let nextTickAt = performance.now();
  let busy = false;
  const tickMs = 1000 / model.manifest.tickHz;

  const tick = async (): Promise<void> => {
    busy = true;
    try {
      await model.step(currentAction(), {}, frame);
      frameToRGBA(frame, width, height, image.data);
      context.putImageData(image, 0, 0);
      status.frames++;
      status.lastStepMs = model.lastStepMs;
      status.ready = true;
      $('hud-model').textContent = `${model.lastStepMs.toFixed(1)} ms/frame`;
      $('hud-tick').textContent = `tick ${status.frames}`;
    } catch (error) {
      showFailure(error);
      return;
    } finally {
      busy = false;
    }
  };

  let fpsFrames = 0;
  let fpsSince = performance.now();
  const loop = (now: number): void => {
    if (status.error) return;
    if (!busy && now >= nextTickAt) {
      nextTickAt = Math.max(nextTickAt + tickMs, now - tickMs);
      void tick();
    }
    fpsFrames++;
    if (now - fpsSince > 500) {
      $('hud-fps').textContent = `${((fpsFrames * 1000) / (now - fpsSince)).toFixed(0)} fps`;
      fpsFrames = 0;
      fpsSince = now;
    }
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
}

/** Sky over ground: the starting view before the model paints anything. */
function horizon(width: number, height: number): Float32Array {
  const n = width * height;
  const f = new Float32Array(3 * n);
  for (let p = 0; p < n; p++) {
    const sky = Math.floor(p / width) < height / 2;
    f[p] = sky ? 0 : 0.05;
    f[n + p] = sky ? 0.3 : -0.2;
    f[2 * n + p] = sky ? 0.8 : -0.4;
  }
  return f;
}

start().catch(showFailure);
