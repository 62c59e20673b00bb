import type { SeededRandom } from '../../worldmodel/SeededRandom.ts';
import { footprint, type SceneDescription } from './SceneDescription.ts';

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
export function pickSpawnPoint(scene: SceneDescription, rng: SeededRandom, clearance = 0.8): SpawnPoint {
  const { spawn } = scene;
  const obstacles = [...scene.statics, ...scene.dynamics]
    .map(footprint)
    .filter((f) => f.top > spawn.floorY + 0.05 && f.bottom < spawn.floorY + 2);
  for (let attempt = 0; attempt < 500; attempt++) {
    const x = spawn.minX + rng.nextFloat() * (spawn.maxX - spawn.minX);
    const z = spawn.minZ + rng.nextFloat() * (spawn.maxZ - spawn.minZ);
    const yaw = (rng.nextFloat() * 2 - 1) * Math.PI;
    const blocked = obstacles.some((f) => x > f.minX - clearance && x < f.maxX + clearance && z > f.minZ - clearance && z < f.maxZ + clearance);
    if (!blocked) return { x, y: spawn.floorY, z, yaw };
  }
  throw new Error(`pickSpawnPoint: found no spot ${clearance} m clear of obstacles in scene "${scene.id}" after 500 tries; widen the spawn area or lower the clearance.`);
}
