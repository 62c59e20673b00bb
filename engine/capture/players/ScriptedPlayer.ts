import type { Intent } from '../../runtime/index.ts';
import type { Pose } from '../../../worldmodel/geometry/Pose.ts';

/** What a scripted player sees each tick: its own state, never pixels. */
export interface PlayerObservation {
  tick: number;
  pose: Readonly<Pose>;
  grounded: boolean;
  /** Fraction of the wanted horizontal motion lost to obstacles over the last tick, [0, 1]. */
  blocked: number;
  /** Horizontal speed, m/s. */
  speed: number;
  /** Distance to the static world straight ahead (horizontal, just below the eye), m; large when open. */
  ahead: number;
  /**
   * The same distance in 8 directions, 45° apart, turning left from straight ahead
   * (index 0 = ahead, 2 = left, 4 = behind, 6 = right).
   */
  around: readonly number[];
  /** Where the pushable objects are (x, z). */
  objects: readonly { x: number; z: number }[];
}

/**
 * A policy that plays like a person: it turns observations into an intent once per model tick
 * (the intent is held for that tick's physics steps). Pure logic, no DOM: runs in Node too.
 */
export interface ScriptedPlayer {
  readonly name: string;
  act(observation: PlayerObservation, out: Intent): Intent;
}
