import type { Pose } from '../../../worldmodel/geometry/Pose.ts';
import type { DynamicObject, SceneDescription, SpawnPoint } from '../../runtime/index.ts';
import type { SeededRandom } from '../../../worldmodel/SeededRandom.ts';

/** Something a policy is told to look for: a scene id and its colour (0xRRGGBB). */
export interface TaskTarget {
  id: string;
  color: number;
}

/** The physics state a task judges: nothing else (never pixels), so both observation sources agree. */
export interface TaskState {
  /** Camera pose after the tick. */
  pose: Readonly<Pose>;
  /** Ticks since reset (1 after the first step). */
  tick: number;
  /** Centres of the episode's dynamic bodies, by id, metres. */
  objects: ReadonlyMap<string, { x: number; y: number; z: number }>;
}

/** What a task says about a tick. */
export interface TaskStatus {
  /** Shaped reward of this tick (progress made, plus a bonus on success). */
  reward: number;
  success: boolean;
  /** Progress in [0, 1]; 1 on success. */
  progress: number;
}

/** One episode of a task, fixed by the episode seed: where the player starts and what it must do. */
export interface TaskEpisode {
  readonly instruction: string;
  /** Where the player starts (feet on the floor) and faces. */
  readonly spawn: SpawnPoint;
  /** The dynamic bodies of this episode (a subset of the scene's, possibly moved); the rest are removed. */
  readonly dynamics: readonly DynamicObject[];
  /** What the policy should look for now (waypoints: the next one). */
  target(): TaskTarget;
  /** Where the target must end up, for tasks that move one (push: the goal landmark). */
  goal(): TaskTarget | null;
  /** Judge the state after a tick; called once per tick, in order (tasks may keep progress). */
  evaluate(state: TaskState): TaskStatus;
}

/** A task: a name, a tick budget and a seeded episode maker. */
export interface PolicyTask {
  readonly name: string;
  /** Ticks before the episode is truncated. */
  readonly maxTicks: number;
  /** The episode for a seed; draws only from `rng`, so the same seed gives the same episode. */
  begin(scene: SceneDescription, rng: SeededRandom): TaskEpisode;
}
