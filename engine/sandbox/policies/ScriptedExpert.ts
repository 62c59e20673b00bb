import { headingError } from '../../../worldmodel/geometry/heading.ts';
import type { Pose } from '../../../worldmodel/geometry/Pose.ts';
import { BC_BACK, BC_STEP_LEFT, BC_STEP_RIGHT, BC_TURN_LEFT, BC_TURN_RIGHT, BC_WALK, BC_WALK_LEFT, BC_WALK_RIGHT } from './bcActions.ts';

/** What the expert reads: physics state no image-based policy gets. */
export interface ExpertState {
  pose: Readonly<Pose>;
  /** Horizontal speed, m/s. */
  speed: number;
  /** Where the current target is (landmark centre, or the ball), metres. */
  target: { x: number; z: number };
  /** Push tasks: the goal's centre. */
  goal: { x: number; z: number } | null;
}

export interface ScriptedExpertOptions {
  /** Half the horizontal field of view, radians; outside it the expert searches as a student would have to. Default 0.52 (30°: a margin inside the 35° half-view). */
  viewHalfAngle?: number;
}

/**
 * The demonstrator for behaviour cloning: steers with privileged physics state, but only in
 * ways a policy could copy from the image. When the target is outside the view it always
 * searches by turning left (a single-frame student cannot tell which way is shorter, and two
 * directions would average into dithering); when it is in view it turns and walks toward it;
 * pushing, it faces the ball and steps sideways until the ball lines up with the goal, then
 * walks through it. Returns a row of `BC_ACTIONS`.
 */
export class ScriptedExpert {
  private readonly view: number;
  private stuckTicks = 0;
  private backTicks = 0;
  private lastWalked = false;

  constructor(options: ScriptedExpertOptions = {}) {
    this.view = options.viewHalfAngle ?? 0.52;
  }

  reset(): void {
    this.stuckTicks = this.backTicks = 0;
    this.lastWalked = false;
  }

  choose(state: ExpertState): number {
    // Walked into something (bench, tree, crate): back off, then the turn logic steers round it.
    this.stuckTicks = this.lastWalked && state.speed < 0.8 ? this.stuckTicks + 1 : 0;
    if (this.stuckTicks >= 5) {
      this.stuckTicks = 0;
      this.backTicks = 6;
    }
    if (this.backTicks > 0) {
      this.backTicks--;
      return this.done(BC_BACK);
    }
    const toTarget = headingError(state.pose, state.target);
    if (Math.abs(toTarget) > this.view) return this.done(BC_TURN_LEFT);
    if (state.goal) {
      const toGoal = headingError(state.pose, state.goal);
      // < 0: the ball looks left of the goal, so the line goal→ball passes left of here: step left.
      const offset = toGoal - toTarget;
      if (Math.abs(toTarget) > 0.3) return this.done(toTarget > 0 ? BC_TURN_LEFT : BC_TURN_RIGHT);
      if (Math.abs(offset) > 0.12 && Math.abs(toGoal) < 1.5) return this.done(offset < 0 ? BC_STEP_LEFT : BC_STEP_RIGHT);
    }
    if (Math.abs(toTarget) < 0.1) return this.done(BC_WALK);
    if (Math.abs(toTarget) < 0.45) return this.done(toTarget > 0 ? BC_WALK_LEFT : BC_WALK_RIGHT);
    return this.done(toTarget > 0 ? BC_TURN_LEFT : BC_TURN_RIGHT);
  }

  private done(action: number): number {
    this.lastWalked = action === BC_WALK || action === BC_WALK_LEFT || action === BC_WALK_RIGHT;
    return action;
  }
}
