import type { SeededRandom } from '../../../worldmodel/SeededRandom.ts';
import { NextframeError } from '../../../worldmodel/index.ts';
import { pickSpawnPoint, type SceneDescription, type SpawnPoint } from '../../runtime/index.ts';

/**
 * A clear spawn point (as `pickSpawnPoint` finds them) that `accept` likes, drawn only from
 * `rng`, so the same seed finds the same one.
 */
export function spawnAround(scene: SceneDescription, rng: SeededRandom, accept: (x: number, z: number) => boolean): SpawnPoint {
  for (let attempt = 0; attempt < 400; attempt++) {
    const spawn = pickSpawnPoint(scene, rng);
    if (accept(spawn.x, spawn.z)) return spawn;
  }
  throw new NextframeError('no-spawn', `spawnAround: no clear spawn point in scene "${scene.id}" meets the task's distance limits after 400 tries; widen them.`);
}

export function clamp01(v: number): number {
  return Math.max(0, Math.min(1, v));
}
