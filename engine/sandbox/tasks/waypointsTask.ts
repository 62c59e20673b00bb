import type { SeededRandom } from '../../../worldmodel/SeededRandom.ts';
import { NextframeError } from '../../../worldmodel/index.ts';
import type { SceneDescription, SpawnPoint } from '../../runtime/index.ts';
import { distanceToLandmark, landmarkTarget, PILLARS, type LandmarkTarget } from './landmarkTargets.ts';
import type { PolicyTask, TaskEpisode, TaskState, TaskStatus } from './PolicyTask.ts';
import { clamp01, spawnAround } from './spawnAround.ts';

export interface WaypointsTaskOptions {
  /** Landmarks the sequence is drawn from (distinct, random order). Default: the four pillars. */
  landmarks?: readonly string[];
  /** Waypoints per episode. Default 2 (the pillars are 12–16 m apart: ~25 m of walking in all). */
  count?: number;
  /** A waypoint is visited when the camera comes within this distance of its surface, m. Default 1.2. */
  radius?: number;
  /** Spawn this far from the first waypoint, m. Default 4 to 11. */
  minDistance?: number;
  maxDistance?: number;
  /** Default 250 ticks (12.5 s at 20 Hz). */
  maxTicks?: number;
}

/**
 * Visit landmarks in a given order. Only the next one counts: passing a later one first does
 * nothing. The observation's target is always the next waypoint. Reward per leg: the distance
 * closed as a share of the leg's starting distance, plus 1 per visit, all divided by the count
 * (a full success returns about 2, as in `reach`).
 */
export function waypointsTask(options: WaypointsTaskOptions = {}): PolicyTask {
  const pool = options.landmarks ?? PILLARS;
  const count = options.count ?? 2;
  const radius = options.radius ?? 1.2;
  const minDistance = options.minDistance ?? 4;
  const maxDistance = options.maxDistance ?? 11;
  if (!Number.isInteger(count) || count < 1 || count > pool.length) throw new NextframeError('bad-options', `waypointsTask: count must be 1 to ${pool.length} (the landmarks given), found ${count}.`);
  return {
    name: 'waypoints',
    maxTicks: options.maxTicks ?? 250,
    begin(scene: SceneDescription, rng: SeededRandom): TaskEpisode {
      // A seeded shuffle (Fisher–Yates), then the first `count`.
      const order = [...pool];
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rng.nextFloat() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const stops = order.slice(0, count).map((id) => landmarkTarget(scene, id));
      const spawn = spawnAround(scene, rng, (x, z) => {
        const d = distanceToLandmark(stops[0]!, x, z);
        return d >= minDistance && d <= maxDistance;
      });
      return new WaypointsEpisode(stops, spawn, radius);
    },
  };
}

class WaypointsEpisode implements TaskEpisode {
  readonly instruction: string;
  readonly dynamics = [];
  private visited = 0;
  private legStart: number;
  private last: number;

  constructor(
    private readonly stops: readonly LandmarkTarget[],
    readonly spawn: SpawnPoint,
    private readonly radius: number,
  ) {
    this.instruction = `visit the ${stops.map((s) => s.name).join(', then the ')}`;
    this.legStart = this.last = Math.max(radius + 1e-3, distanceToLandmark(stops[0]!, spawn.x, spawn.z));
  }

  target(): LandmarkTarget {
    return this.stops[Math.min(this.visited, this.stops.length - 1)]!;
  }

  goal(): null {
    return null;
  }

  evaluate(state: TaskState): TaskStatus {
    const n = this.stops.length;
    if (this.visited === n) return { reward: 0, success: true, progress: 1 };
    const { x, z } = state.pose;
    const d = distanceToLandmark(this.stops[this.visited]!, x, z);
    let reward = (this.last - d) / this.legStart / n;
    this.last = d;
    if (d <= this.radius) {
      reward += 1 / n;
      this.visited++;
      if (this.visited < n) {
        // The next leg is measured from here.
        this.legStart = this.last = Math.max(this.radius + 1e-3, distanceToLandmark(this.stops[this.visited]!, x, z));
      }
    }
    const success = this.visited === n;
    const leg = success ? 0 : clamp01(1 - (this.last - this.radius) / (this.legStart - this.radius));
    return { reward, success, progress: success ? 1 : (this.visited + leg) / n };
  }
}
