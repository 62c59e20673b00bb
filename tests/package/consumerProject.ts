// The files of a game project that installs the packed nextframe from its tarball, as a user
// would: a Node script, a type-checked browser module (and one wrong on purpose), a vite page on
// nextframe/engine (index.html) and one on nextframe/r3f, and the vite config the README's
// install section describes. Kept as text: inside the repository `nextframe/…` would resolve to this package's
// own dist/, which a fresh clone does not have, so the repo's typecheck must not see them.

/** Cross-origin isolation, for onnxruntime-web's WASM threads (SharedArrayBuffer). */
const VITE_CONFIG = `import { defineConfig } from 'vite';

const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Models are served from public/models/<id>/ (model.onnx + manifest.json), at /models/<id>/.
  publicDir: 'public',
  server: { headers: isolation },
  preview: { headers: isolation },
  // onnxruntime-web finds its .wasm next to its own module; pre-bundling would move the module.
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { target: 'es2022' },
});
`;

/** The r3f page is built on its own, so its bundle is checked on its own. */
const VITE_R3F_CONFIG = `import { mergeConfig } from 'vite';
import base from './vite.config.ts';

export default mergeConfig(base, { build: { outDir: 'dist-r3f', rollupOptions: { input: 'r3f.html' } } });
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'bundler',
    lib: ['ES2023', 'DOM', 'DOM.Iterable'],
    types: [],
    jsx: 'react-jsx',
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    isolatedModules: true,
    noEmit: true,
    skipLibCheck: true,
  },
};

/** A Node script: load the fixture model through nextframe/worldmodel and paint one frame. */
const SAMPLE_MJS = `import { WorldModel } from 'nextframe/worldmodel';
import { WorldModelPlugin } from 'nextframe/engine';

const model = await WorldModel.load('./models-tiny', { seed: 1 });
const plane = 3 * model.width * model.height;
model.reset(Array.from({ length: model.contextFrames }, (_, i) => new Float32Array(plane).fill(-0.5 + 0.25 * i)));
const frame = await model.step({ forward: 0.2, yaw: 0.1 });
let min = Infinity;
let max = -Infinity;
for (const v of frame) {
  min = Math.min(min, v);
  max = Math.max(max, v);
}
const report = {
  id: model.manifest.id,
  backend: model.backend,
  width: model.width,
  height: model.height,
  length: frame.length,
  min,
  max,
  distinct: new Set(frame).size,
  engineLoads: typeof WorldModelPlugin === 'function',
};
await model.dispose();
console.log(JSON.stringify(report));
`;

/** A game on the plain-three API (the README's "Add it to your Three.js game", on the fixture model). */
const GAME_TS = `import RAPIER from '@dimforge/rapier3d-compat';
import { BoxGeometry, CylinderGeometry, HemisphereLight, Mesh, MeshLambertMaterial, PerspectiveCamera, Scene, SphereGeometry, WebGLRenderer } from 'three';
import { chooseDevice, WorldModelPlugin, type StatsEvent, type WorldModelPluginOptions } from 'nextframe/engine';
import { NextframeError, WorldModel, type ModelManifest, type Pose } from 'nextframe/worldmodel';

export async function startGame(canvas: HTMLCanvasElement, modelUrl = '/models/tiny/'): Promise<() => Promise<void>> {
  await RAPIER.init();
  const renderer = new WebGLRenderer({ canvas });
  const scene = new Scene();
  scene.add(new HemisphereLight(0xdde8ff, 0x8a7a60, 2));
  const camera = new PerspectiveCamera();
  camera.position.set(0, 1.6, 4);
  const floor = new Mesh(new BoxGeometry(24, 0.5, 24), new MeshLambertMaterial({ color: 0xcdb78c }));
  floor.position.y = -0.25;
  const pillar = new Mesh(new CylinderGeometry(0.55, 0.55, 5.5), new MeshLambertMaterial({ color: 0xe0262b }));
  pillar.position.set(0, 2.75, -3);
  const ball = new Mesh(new SphereGeometry(0.3), new MeshLambertMaterial({ color: 0xff5a1f }));
  ball.position.set(1.5, 2, -1);
  scene.add(floor, pillar, ball);

  const { device } = await chooseDevice();
  let model: WorldModel;
  try {
    model = await WorldModel.load(modelUrl, { device, proxy: true, seed: 1, onProgress: (loaded: number, total: number | null) => void [loaded, total] });
  } catch (error) {
    if (error instanceof NextframeError) document.title = error.message;
    throw error;
  }
  const manifest: ModelManifest = model.manifest;
  const start: Pose = { x: 0, y: 1.6, z: 4, yaw: 0, pitch: 0 };
  document.title = \`\${manifest.id} at \${manifest.tickHz} Hz from \${start.x}, \${start.z}\`;

  const options: WorldModelPluginOptions = { renderer, scene, camera, model, rapier: RAPIER, view: 'model', speculation: { mode: 'single', lookahead: 1, budget: 1 } };
  const plugin = new WorldModelPlugin(options);
  plugin.markProxy(floor).markProxy(pillar);
  plugin.markOverlay(ball, { mass: 2 });
  plugin.on('error', (error: Error) => console.error('the world model stopped:', error));
  plugin.on('stats', (stats: StatsEvent) => void stats);

  let last = performance.now();
  renderer.setAnimationLoop((now: number) => {
    plugin.update((now - last) / 1000);
    last = now;
  });
  return async () => {
    renderer.setAnimationLoop(null);
    plugin.dispose();
    await model.dispose();
    renderer.dispose();
  };
}

const canvas = document.querySelector('canvas');
if (canvas) void startGame(canvas);
`;

/** Calls the shipped types must refuse; each line is one expected error. */
const WRONG_TS = `import { WorldModelPlugin } from 'nextframe/engine';
import { WorldModel } from 'nextframe/worldmodel';

export async function wrong(canvas: HTMLCanvasElement): Promise<void> {
  const model = await WorldModel.load('/models/tiny/', { device: 'cuda' });
  await model.step({ forward: 'fast' });
  new WorldModelPlugin({ canvas, model });
}
`;

/** The same world through the react-three-fiber binding. */
const R3F_TSX = `import { Canvas } from '@react-three/fiber';
import { Suspense, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { NextframeWorld, Overlay, Proxy, useNextframe, useNextframeStats } from 'nextframe/r3f';

function Hud(): ReactNode {
  const stats = useNextframeStats();
  const { plugin } = useNextframe();
  return <group name={stats ? 'hud-live' : 'hud-waiting'} visible={plugin !== null} />;
}

export function App(): ReactNode {
  return (
    <Canvas flat>
      <Suspense fallback={null}>
        <NextframeWorld model="/models/tiny/" device="wasm">
          <hemisphereLight args={[0xdde8ff, 0x8a7a60, 2]} />
          <Proxy>
            <mesh position={[0, -0.25, 0]}>
              <boxGeometry args={[24, 0.5, 24]} />
              <meshLambertMaterial color={0xcdb78c} />
            </mesh>
          </Proxy>
          <Overlay kind="ball" position={[1.5, 2, -1]}>
            <mesh>
              <sphereGeometry args={[0.3]} />
              <meshLambertMaterial color={0xff5a1f} />
            </mesh>
          </Overlay>
          <Hud />
        </NextframeWorld>
      </Suspense>
    </Canvas>
  );
}

const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
`;

const page = (title: string, body: string, script: string): string =>
  `<!doctype html>\n<html lang="en">\n  <head><meta charset="utf-8" /><title>${title}</title></head>\n  <body>\n    ${body}\n    <script type="module" src="${script}"></script>\n  </body>\n</html>\n`;

/** Every file of the consumer project but the model, by path. `r3f`: include the r3f page. */
export function consumerFiles(options: { r3f: boolean }): Record<string, string> {
  const include = ['src/game.ts', ...(options.r3f ? ['src/r3f.tsx'] : [])];
  return {
    'package.json': `${JSON.stringify({ name: 'nextframe-consumer', private: true, type: 'module' }, null, 2)}\n`,
    'vite.config.ts': VITE_CONFIG,
    'tsconfig.json': `${JSON.stringify({ ...TSCONFIG, include }, null, 2)}\n`,
    'tsconfig.wrong.json': `${JSON.stringify({ extends: './tsconfig.json', include: ['src/wrong.ts'] }, null, 2)}\n`,
    'sample.mjs': SAMPLE_MJS,
    'index.html': page('nextframe game', '<canvas width="512" height="512"></canvas>', '/src/game.ts'),
    'src/game.ts': GAME_TS,
    'src/wrong.ts': WRONG_TS,
    ...(options.r3f ? { 'vite.r3f.config.ts': VITE_R3F_CONFIG, 'r3f.html': page('nextframe r3f', '<div id="root"></div>', '/src/r3f.tsx'), 'src/r3f.tsx': R3F_TSX } : {}),
  };
}
