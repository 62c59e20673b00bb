import { wrapAngle } from '../../../worldmodel/geometry/Pose.ts';
import type { Observation, Policy, PolicyAction } from '../types.ts';
import { findColour, type ColourBlob, type ColourMatchOptions } from './findColour.ts';
import { goalColour, type Palette } from './goalColour.ts';

export interface VisualNavigatorOptions {
  /** Horizontal field of view of the image, degrees. Default 70 (the arena model: 70° vertical, square). */
  fovXDegrees?: number;
  /** Turn rate per radian of bearing error, 1/s. Default 4. */
  gain?: number;
  /** Fastest turn, rad/s. Default 2.5. */
  maxTurn?: number;
  /** Turn rate of the search arc, rad/s. Default 2. */
  searchRate?: number;
  /** Walking speed kept while turning or searching, fraction of full. Default 0.4. */
  minForward?: number;
  /** Ticks a last sighting is trusted when the target drops out of view (occluded, or turned past). Default 60. */
  memoryTicks?: number;
  /** Fewest matching pixels that count as a sighting. Default 4. */
  minPixels?: number;
  /** Landmark names → colours, for reading a push goal from the instruction (see `goalColour`). */
  palette?: Palette;
  match?: ColourMatchOptions;
}

const TWO_PI = 2 * Math.PI;
/** Ticks of one escape from an obstacle: 4 backing off, then sidestepping. */
const ESCAPE_TICKS = 16;

/**
 * A stronger visual controller than the colour servo. Still acts on pixels, plus its own
 * heading and speed (proprioception):
 * - walks while turning, slowing for large bearing errors but never stopping: a walking turn
 *   sweeps the view as fast as a spin, and it is the motion world models see most in training
 *   (recorded players walk), so their frames stay sharper than under spins in place;
 * - remembers the world heading where the target was last seen, and turns back to it (and walks
 *   on, past an occluder) instead of spinning blind;
 * - searches in a walking arc toward the side it last saw the target, and after a full turn
 *   with nothing, walks a straight stretch to see from elsewhere;
 * - notices it is stuck (asked to walk, not moving), backs off and sidesteps the obstacle;
 * - pushing: keeps the ball in line with the goal by strafing before it walks into the ball.
 */
export class VisualNavigatorPolicy implements Policy {
  readonly name = 'visual-nav';
  private readonly tanHalfFov: number;
  private readonly o: Required<Omit<VisualNavigatorOptions, 'palette' | 'match' | 'fovXDegrees'>>;
  private readonly palette: Palette | undefined;
  private readonly match: ColourMatchOptions;
  private targetId = '';
  private seenYaw: number | null = null;
  private seenTick = -Infinity;
  private searchSide = 1;
  private spun = 0;
  private exploreTicks = 0;
  private stuckTicks = 0;
  private escapeTicks = 0;
  private escapeSide = 1;
  private escapes = 0;
  private lastForward = 0;
  private lastYaw = 0;

  constructor(options: VisualNavigatorOptions = {}) {
    this.tanHalfFov = Math.tan(((options.fovXDegrees ?? 70) * Math.PI) / 360);
    this.o = {
      gain: options.gain ?? 4,
      maxTurn: options.maxTurn ?? 2.5,
      searchRate: options.searchRate ?? 2,
      minForward: options.minForward ?? 0.4,
      memoryTicks: options.memoryTicks ?? 60,
      minPixels: options.minPixels ?? 4,
    };
    this.palette = options.palette;
    this.match = options.match ?? {};
  }

  reset(): void {
    this.forget();
    this.stuckTicks = this.escapeTicks = this.escapes = 0;
    this.lastForward = 0;
  }

  act(observation: Observation): PolicyAction {
    const { image, width, height, target, proprio } = observation;
    const { pose, velocity, tick } = proprio;
    if (target.id !== this.targetId) {
      // A new waypoint: what was remembered is about the old one.
      this.forget();
      this.targetId = target.id;
    }
    const turned = Math.abs(wrapAngle(pose.yaw - this.lastYaw));
    this.lastYaw = pose.yaw;

    // Stuck: it asked to walk for several ticks and hardly moves (a wall, the bench, a crate).
    const speed = Math.hypot(velocity[0], velocity[1]);
    this.stuckTicks = this.lastForward > 0.5 && speed < 0.8 && tick > 2 ? this.stuckTicks + 1 : 0;
    if (this.stuckTicks >= 4) {
      this.stuckTicks = 0;
      this.escapeTicks = ESCAPE_TICKS;
      // Keep the side: a long obstacle (the bench) needs the same sidestep again; switch after two tries.
      if (++this.escapes % 2 === 0) this.escapeSide = -this.escapeSide;
    }
    if (this.escapeTicks > 0) {
      this.escapeTicks--;
      // Back off a little, then step sideways far enough to clear a 3 m bench.
      return this.escapeTicks >= ESCAPE_TICKS - 4 ? this.emit(-0.5, 0, 0) : this.emit(0.2, this.escapeSide, 0);
    }

    const blob = findColour(image, width, height, target.color, this.match);
    if (blob.count >= this.o.minPixels) {
      const bearing = this.bearing(blob.x); // radians, right positive
      this.seenYaw = wrapAngle(pose.yaw - bearing);
      this.seenTick = tick;
      this.searchSide = bearing > 0 ? -1 : 1;
      this.spun = 0;
      const goal = goalColour(observation, this.palette);
      if (goal !== null) return this.push(observation, blob, bearing, goal);
      return this.emit(Math.max(this.o.minForward, 1 - Math.abs(bearing) / 0.6), 0, -this.o.gain * bearing);
    }

    if (this.seenYaw !== null && tick - this.seenTick <= this.o.memoryTicks) {
      // Out of view but seen lately: face where it was and keep going (it may be behind something).
      const error = wrapAngle(this.seenYaw - pose.yaw);
      return this.emit(Math.abs(error) < 0.3 ? 1 : this.o.minForward, 0, this.o.gain * error);
    }

    if (this.exploreTicks > 0) {
      this.exploreTicks--;
      return this.emit(1, 0, 0);
    }
    this.spun += turned;
    if (this.spun > TWO_PI) {
      // A full turn and nothing: the target is hidden from here. Walk on and look again.
      this.spun = 0;
      this.exploreTicks = 25;
    }
    return this.emit(this.o.minForward, 0, this.searchSide * this.o.searchRate);
  }

  /** Ball in view: line it up with the goal (strafe toward the side the ball is off the line), then walk through it. */
  private push(observation: Observation, ball: ColourBlob, ballBearing: number, goal: number): PolicyAction {
    const { image, width, height } = observation;
    const g = findColour(image, width, height, goal, this.match);
    const turn = -this.o.gain * ballBearing;
    if (g.count < this.o.minPixels) return this.emit(Math.abs(ballBearing) < 0.25 ? 0.7 : 0, 0, turn);
    const offset = ballBearing - this.bearing(g.x); // < 0: the ball is left of the goal, so step left
    const aligned = Math.abs(offset) < 0.12;
    return this.emit(aligned && Math.abs(ballBearing) < 0.3 ? 1 : 0.2, Math.max(-1, Math.min(1, 4 * offset)), turn);
  }

  private bearing(x: number): number {
    return Math.atan(x * this.tanHalfFov);
  }

  private emit(forward: number, strafe: number, yawRate: number): PolicyAction {
    this.lastForward = forward;
    const turn = Math.max(-this.o.maxTurn, Math.min(this.o.maxTurn, yawRate));
    return { forward, strafe, yawRate: turn, pitchRate: 0, jump: false, interact: false };
  }

  private forget(): void {
    this.seenYaw = null;
    this.seenTick = -Infinity;
    this.spun = 0;
    this.exploreTicks = 0;
  }
}
