import type { SeededRandom } from '../../../worldmodel/SeededRandom.ts';
import { NextframeError } from '../../../worldmodel/index.ts';
import { footprint, type DynamicObject, type SceneLayout, type SpawnArea, type StaticShape } from './SceneDescription.ts';

type Footprint = ReturnType<typeof footprint>;

/** Footprints of the shapes a standing player can bump into: above the floor and below head height. */
export function standingObstacles(shapes: readonly (StaticShape | DynamicObject)[], floorY: number): Footprint[] {
  return shapes.map(footprint).filter((f) => f.top > floorY + 0.05 && f.bottom < floorY + 2);
}

/** (x, z) is at least `clearance` metres from every footprint. */
export function isClear(obstacles: readonly Footprint[], x: number, z: number, clearance: number): boolean {
  return !obstacles.some((f) => x > f.minX - clearance && x < f.maxX + clearance && z > f.minZ - clearance && z < f.maxZ + clearance);
}

/** Where a player stands: feet position on the floor and the view direction. */
export interface SpawnPoint {
  x: number;
  y: number;
  z: number;
  yaw: number;
}

/**
 * A random clear spot in the scene's spawn area: at least `clearance` metres from every static
 * shape's and dynamic object's footprint, facing a random direction. Pure: the same random
 * sequence gives the same spot in Node and in the browser.
 */
export function pickSpawnPoint(scene: SceneLayout & { spawn: SpawnArea }, rng: SeededRandom, clearance = 0.8): SpawnPoint {
  const { spawn } = scene;
  const obstacles = standingObstacles([...scene.statics, ...scene.dynamics], spawn.floorY);
  for (let attempt = 0; attempt < 500; attempt++) {
    const x = spawn.minX + rng.nextFloat() * (spawn.maxX - spawn.minX);
    const z = spawn.minZ + rng.nextFloat() * (spawn.maxZ - spawn.minZ);
    const yaw = (rng.nextFloat() * 2 - 1) * Math.PI;
    if (isClear(obstacles, x, z, clearance)) return { x, y: spawn.floorY, z, yaw };
  }
  throw new NextframeError('no-spawn', `pickSpawnPoint: found no spot ${clearance} m clear of obstacles in scene "${scene.id}" after 500 tries; widen the spawn area or lower the clearance.`);
}
