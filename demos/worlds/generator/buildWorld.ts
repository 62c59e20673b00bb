import { BoxGeometry, type Camera, Mesh, MeshLambertMaterial, type Object3D, type Scene, SphereGeometry } from 'three';
import { addAtmosphere } from './addAtmosphere.ts';
import { buildBridges } from './buildBridges.ts';
import { buildCourtyard } from './buildCourtyard.ts';
import { buildHills } from './buildHills.ts';
import { buildRooms } from './buildRooms.ts';
import { buildTerraces } from './buildTerraces.ts';
import { WorldKit } from './WorldKit.ts';
import { worldRecipe, type WorldFamily, type WorldRecipe } from './worldRecipe.ts';

const BUILDERS: Record<WorldFamily, (kit: WorldKit) => void> = {
  courtyard: buildCourtyard,
  rooms: buildRooms,
  hills: buildHills,
  terraces: buildTerraces,
  bridges: buildBridges,
};

/** A built world, in the shape a scene module returns. */
export interface BuiltWorld {
  id: string;
  scene: Scene;
  proxies: Object3D[];
  spawn: { min: [number, number]; max: [number, number] };
  overlays: Object3D[];
  beforeRender: (camera: Camera) => void;
  recipe: WorldRecipe;
}

/** Build world number `seed`: its recipe's family laid out with the kit, then light, fog, sky and overlays. */
export function buildWorld(seed: number): BuiltWorld {
  const recipe = worldRecipe(seed);
  const kit = new WorldKit(recipe);
  BUILDERS[recipe.family](kit);
  addOverlays(kit);
  const proxies = kit.finish();
  const beforeRender = addAtmosphere(kit.scene, recipe);
  return { id: `generated-${seed}`, scene: kit.scene, proxies, spawn: kit.spawn, overlays: kit.overlays, beforeRender, recipe };
}

/** Balls and crates a player can push, on free ground in the spawn area. */
function addOverlays(kit: WorldKit): void {
  const { rng, recipe } = kit;
  const { min, max } = kit.spawn;
  const spots = kit.scatter(recipe.overlays, 0.9, [min[0], min[1], max[0], max[1]], 200);
  spots.forEach(([x, z], i) => {
    const ball = rng.chance(0.6);
    const colour = rng.pick([recipe.palette.accent, recipe.palette.accent2, 0xff5a1f, 0x3fc1ff, 0xf2d03b]);
    const mesh = ball ? new Mesh(new SphereGeometry(0.3, 16, 12), new MeshLambertMaterial({ color: colour })) : new Mesh(new BoxGeometry(0.7, 0.7, 0.7), new MeshLambertMaterial({ color: colour }));
    mesh.position.set(x, kit.groundAt(x, z) + (ball ? 0.3 : 0.35), z);
    mesh.rotation.y = ball ? 0 : rng.range(0, Math.PI / 2);
    mesh.name = `${ball ? 'ball' : 'crate'}${i}`;
    mesh.userData.mass = ball ? 2 : 12;
    kit.scene.add(mesh);
    kit.overlays.push(mesh);
  });
}
