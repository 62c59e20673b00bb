// Generated worlds: world number `seed` of thousands, built from a recipe the seed decides
// (layout family, palette, time of day, fog, sky, materials, landmark). Plain three.js, like any
// user's scene module; `worldRecipe(seed)` lists a seed's choices without a browser.
// Built by every tool as the built-in world `generated` (scene seed = world number); see many
// with `npx nextframe worlds --sheet worlds.png`.
import { buildWorld, type BuiltWorld } from './generator/buildWorld.ts';

export { worldRecipe, WORLD_FAMILIES, type WorldFamily, type WorldRecipe } from './generator/worldRecipe.ts';

/** The scene module's answer: the built world without its recipe (that is `worldRecipe(seed)`). */
export default async function createScene({ seed }: { seed: number }): Promise<Omit<BuiltWorld, 'recipe'>> {
  const { id, scene, proxies, spawn, overlays, beforeRender } = buildWorld(seed);
  return { id, scene, proxies, spawn, overlays, beforeRender };
}
