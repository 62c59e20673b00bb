import type { SeededRandom } from '../../../worldmodel/SeededRandom.ts';
import { NextframeError } from '../../../worldmodel/index.ts';
import type { PhysicsWorld } from '../physics/PhysicsWorld.ts';
import type { SceneLayout } from './SceneDescription.ts';
import { pickSpawnPoint, type SpawnPoint } from './spawnPose.ts';
import { surfaceProbe } from './surfaceProbe.ts';
/** Height of the body kept clear above the feet, m (a standing player, head included). */
const BODY_HEIGHT = 1.9;
/** Feet may touch steps and kerbs below this height above the surface, m. */
const STEP = 0.35;
/** Points around the feet (twice the capsule radius away) that must stand on ground too: room to step. */
const FOOT: readonly [number, number][] = [[0.6, 0], [-0.6, 0], [0, 0.6], [0, -0.6]];

/**
 * A random clear spot in a scene's spawn rectangle, found with the colliders alone: its height is
 * the walkable surface under it (a ray cast straight down from above everything; ground must be
 * under the whole footprint), and a
 * cylinder `clearance` metres wider than the player, from just above the feet to above the
 * head, must touch no collider. Works for any proxy geometry (hills, stairs, rooms, GLB meshes).
 * Draws from `rng` in the same order on every machine, so Node and the browser agree.
 */
export function findSpawnPoint(scene: SceneLayout, physics: PhysicsWorld, rng: SeededRandom, clearance = 0.8, attempts = 500): SpawnPoint {
  const { spawn } = scene;
  const { rapier, world } = physics;
  const surfaceAt = surfaceProbe(scene, physics);
  const radius = 0.3 + clearance;
  const halfHeight = (BODY_HEIGHT - STEP) / 2;
  const body = new rapier.Cylinder(halfHeight, radius);
  const rotation = { x: 0, y: 0, z: 0, w: 1 };
  for (let attempt = 0; attempt < attempts; attempt++) {
    const x = spawn.minX + rng.nextFloat() * (spawn.maxX - spawn.minX);
    const z = spawn.minZ + rng.nextFloat() * (spawn.maxZ - spawn.minZ);
    const yaw = (rng.nextFloat() * 2 - 1) * Math.PI;
    const y = surfaceAt(x, z);
    if (y === null) continue;
    // Ground under the whole footprint, not a post top or a ledge's edge.
    if (FOOT.some(([dx, dz]) => {
      const h = surfaceAt(x + dx, z + dz);
      return h === null || Math.abs(h - y) > STEP;
    })) continue;
    const centre = { x, y: y + STEP + halfHeight, z };
    if (world.intersectionWithShape(centre, rotation, body) === null) return { x, y, z, yaw };
  }
  throw new NextframeError(
    'no-spawn',
    `findSpawnPoint: no free spot in the spawn area of scene "${scene.id}" (x ${spawn.minX}…${spawn.maxX}, z ${spawn.minZ}…${spawn.maxZ}) after ${attempts} tries: ` +
      `a spot needs a walkable surface under it and ${clearance} m of room around a standing player. Move the spawn rectangle onto open, walkable ground or widen it.`,
  );
}

/**
 * Where a player starts: on flat ground of known height (the built-in worlds) the footprint
 * test, which needs no physics; anywhere else the colliders say where a player can stand.
 */
export function spawnPointFor(scene: SceneLayout, physics: PhysicsWorld, rng: SeededRandom): SpawnPoint {
  const { floorY } = scene.spawn;
  return floorY === undefined ? findSpawnPoint(scene, physics, rng) : pickSpawnPoint({ ...scene, spawn: { ...scene.spawn, floorY } }, rng);
}
