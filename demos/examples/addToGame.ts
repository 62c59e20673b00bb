import RAPIER from '@dimforge/rapier3d-compat';
import { BoxGeometry, CylinderGeometry, HemisphereLight, Mesh, MeshLambertMaterial, PerspectiveCamera, Scene, SphereGeometry, WebGLRenderer } from 'three';
import { chooseDevice, WorldModelPlugin, type WorldModelPluginOptions } from '../../engine/runtime/index.ts';
import { WorldModel } from '../../worldmodel/index.ts';

export async function addToGame(canvas: HTMLCanvasElement, modelUrl = '/models/generalist/', options: Partial<WorldModelPluginOptions> = {}) {
  await RAPIER.init();
  const renderer = new WebGLRenderer({ canvas });
  renderer.setSize(canvas.clientWidth, canvas.clientHeight, false);
  const scene = new Scene();
  scene.add(new HemisphereLight(0xdde8ff, 0x8a7a60, 2));
  const camera = new PerspectiveCamera(70); // the model's field of view (the plugin sets it, and warns when yours differs)
  camera.position.set(0, 1.6, 4); // the player's eyes

  // Your level: what the world model paints and the player collides with...
  const floor = new Mesh(new BoxGeometry(24, 0.5, 24), new MeshLambertMaterial({ color: 0xcdb78c }));
  floor.position.y = -0.25;
  const pillar = new Mesh(new CylinderGeometry(0.55, 0.55, 5.5), new MeshLambertMaterial({ color: 0xe0262b }));
  pillar.position.set(0, 2.75, -3);
  // ...and a physics object drawn over the painted world, hidden when it rolls behind the pillar.
  const ball = new Mesh(new SphereGeometry(0.3), new MeshLambertMaterial({ color: 0xff5a1f }));
  ball.position.set(1.5, 2, -1);
  scene.add(floor, pillar, ball);

  const { device } = await chooseDevice(); // WebGPU on a real GPU, else WASM
  const model = await WorldModel.load(modelUrl, { device, proxy: true }); // proxy: WASM runs in a worker
  // survey: before play, the plug-in renders your scene all round the start and the model
  // remembers it, so it does not have to guess what is behind the player.
  const plugin = new WorldModelPlugin({ renderer, scene, camera, model, rapier: RAPIER, survey: true, ...options });
  plugin.markProxy(floor).markProxy(pillar); // colliders from the meshes; not drawn while the model paints
  plugin.markOverlay(ball, { mass: 2 }); // a dynamic body shaped like the mesh
  plugin.on('error', (error) => console.error('the world model stopped:', error));
  // Speculative sampling defaults to 'auto' on every backend: it times the model's runs and picks
  // off, single- or multi-branch to fit the tick (plugin.latestStats.speculationMode says which);
  // fix it with new WorldModelPlugin({ ..., speculation: { mode: 'single', lookahead: 1, budget: 1 } }).

  let last = performance.now();
  renderer.setAnimationLoop((now) => {
    plugin.update((now - last) / 1000); // input → physics → a model tick when due → draw
    last = now;
  });

  const stop = async () => {
    renderer.setAnimationLoop(null);
    plugin.dispose(); // its textures, render targets, colliders, bodies and listeners
    await model.dispose(); // the model is yours to free
    renderer.dispose();
  };
  return { plugin, stop };
}
