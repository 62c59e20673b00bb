// Generated worlds: world number `seed` of thousands, built from a recipe the seed decides
// (layout family, palette, time of day, fog, sky, materials, landmark). Plain three.js, like any
// user's scene module; `worldRecipe(seed)` lists a seed's choices without a browser.
// Built by every tool as the built-in world `generated` (scene seed = world number); see many
// with `npx nextframe worlds --sheet worlds.png`.
import type { Camera, Object3D, Scene } from 'three';
import { buildWorld } from './generator/buildWorld.ts';

export { worldRecipe, WORLD_FAMILIES, type WorldFamily, type WorldRecipe } from './generator/worldRecipe.ts';

export default async function createScene({ seed }: { seed: number }): Promise<{
  id: string;
  scene: Scene;
  proxies: Object3D[];
  spawn: { min: [number, number]; max: [number, number] };
  overlays: Object3D[];
  beforeRender: (camera: Camera) => void;
}> {
  const { id, scene, proxies, spawn, overlays, beforeRender } = buildWorld(seed);
  return { id, scene, proxies, spawn, overlays, beforeRender };
}
