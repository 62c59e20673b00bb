import type { SeededRandom } from '../../../worldmodel/SeededRandom.ts';
import { NextframeError } from '../../../worldmodel/index.ts';
import type { SceneDescription, SpawnPoint } from '../../runtime/index.ts';
import { distanceToLandmark, landmarkTarget, PILLARS, type LandmarkTarget } from './landmarkTargets.ts';
import type { PolicyTask, TaskEpisode, TaskState, TaskStatus } from './PolicyTask.ts';
import { clamp01, spawnAround } from './spawnAround.ts';

export interface ReachTaskOptions {
  /** Landmarks an episode may name (one drawn per episode). Default: the four pillars. */
  targets?: readonly string[];
  /** Success: the camera within this horizontal distance of the landmark's surface, m. Default 1.2. */
  radius?: number;
  /** Spawn this far from the landmark's surface, m. Default 4 to 11 (20 to 55 ticks of walking). */
  minDistance?: number;
  maxDistance?: number;
  /** Default 200 ticks (10 s at 20 Hz): time to turn round, find the colour and walk there. */
  maxTicks?: number;
}

/**
 * Walk to a named landmark. The player spawns facing a random direction, so it may have to turn
 * to find the target. Reward: the distance closed this tick as a share of the starting distance,
 * plus 1 on success (an episode's return is about 2 when it succeeds).
 */
export function reachTask(options: ReachTaskOptions = {}): PolicyTask {
  const targets = options.targets ?? PILLARS;
  const radius = options.radius ?? 1.2;
  const minDistance = options.minDistance ?? 4;
  const maxDistance = options.maxDistance ?? 11;
  if (targets.length === 0) throw new NextframeError('bad-options', 'reachTask: targets must name at least one landmark.');
  if (!(maxDistance > minDistance && minDistance > radius)) throw new NextframeError('bad-options', `reachTask: expected radius < minDistance < maxDistance, found ${radius}, ${minDistance}, ${maxDistance}; pass distances in that order.`);
  return {
    name: 'reach',
    maxTicks: options.maxTicks ?? 200,
    begin(scene: SceneDescription, rng: SeededRandom): TaskEpisode {
      const target = landmarkTarget(scene, targets[Math.floor(rng.nextFloat() * targets.length)]!);
      const spawn = spawnAround(scene, rng, (x, z) => {
        const d = distanceToLandmark(target, x, z);
        return d >= minDistance && d <= maxDistance;
      });
      return new ReachEpisode(target, spawn, radius);
    },
  };
}

class ReachEpisode implements TaskEpisode {
  readonly instruction: string;
  readonly dynamics = [];
  private readonly start: number;
  private last: number;
  private done = false;

  constructor(
    private readonly landmark: LandmarkTarget,
    readonly spawn: SpawnPoint,
    private readonly radius: number,
  ) {
    this.instruction = `walk to the ${landmark.name}`;
    this.start = this.last = distanceToLandmark(landmark, spawn.x, spawn.z);
  }

  target(): LandmarkTarget {
    return this.landmark;
  }

  goal(): null {
    return null;
  }

  evaluate(state: TaskState): TaskStatus {
    const d = distanceToLandmark(this.landmark, state.pose.x, state.pose.z);
    const success = this.done || d <= this.radius;
    const reward = (this.last - d) / this.start + (success && !this.done ? 1 : 0);
    this.last = d;
    this.done = success;
    return { reward, success, progress: success ? 1 : clamp01(1 - (d - this.radius) / (this.start - this.radius)) };
  }
}
