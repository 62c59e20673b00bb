import { SeededRandom } from '../../../worldmodel/SeededRandom.ts';
import type { Intent, SceneLayout } from '../../runtime/index.ts';
import { headingTo } from '../../../worldmodel/geometry/heading.ts';
import { wrapAngle } from '../../../worldmodel/geometry/Pose.ts';
import { landmarksOf, type Landmark } from './landmarks.ts';
import type { PlayerObservation, ScriptedPlayer } from './ScriptedPlayer.ts';

/**
 * One stretch of play. `hold` keeps an intent for a number of ticks (how people hold keys and
 * move the mouse in bursts); `aim` turns to a heading; `goto` walks to a point, correcting the
 * heading only when it has drifted (people steer in bursts too, not every tick).
 */
export type Segment =
  | { kind: 'hold'; ticks: number; forward: number; strafe: number; yawRate: number; pitchRate: number; jump?: boolean; interact?: boolean }
  | { kind: 'aim'; ticks: number; heading: number; rate: number; forward: number }
  | { kind: 'goto'; ticks: number; x: number; z: number; radius: number; speed: number; rate: number; jump?: boolean };

/** Common tuning of a player (per episode, drawn from the seed). */
export interface PlayerStyle {
  /** Fraction of full walking speed. */
  speed: number;
  /** Typical turn rate of a deliberate turn, rad/s. */
  turnRate: number;
  /** Chance per tick, while walking, of a short glance (a mouse flick). */
  glance: number;
}

/**
 * Shared machinery of the scripted players: a queue of segments, bump recovery (back off or
 * turn away when a wall or object stops the walk), glances, and a memory of places passed so a
 * player can turn back to them. Subclasses only plan the next segments.
 */
export abstract class SegmentPlayer implements ScriptedPlayer {
  abstract readonly name: string;
  protected readonly rng: SeededRandom;
  protected readonly scene: SceneLayout;
  protected readonly landmarks: Landmark[];
  protected readonly style: PlayerStyle;
  /** Positions passed, one every 20 ticks (x, z, tick). */
  protected readonly trail: { x: number; z: number; tick: number }[] = [];
  private queue: Segment[] = [];
  private current: Segment | null = null;
  private left = 0;
  private stuck = 0;
  private glanceLeft = 0;
  private glanceRate = 0;
  private glancePitch = 0;
  private steering = false;
  private aimRate = 0;
  private approaching = false;

  constructor(scene: SceneLayout, seed: number) {
    this.rng = new SeededRandom((seed * 2654435761) ^ 0x5eed);
    this.scene = scene;
    this.landmarks = landmarksOf(scene);
    this.style = { speed: this.uniform(0.7, 1), turnRate: this.uniform(2.5, 4.5), glance: this.uniform(0.008, 0.02) };
  }

  /** Append the next segments; called whenever the queue runs dry. */
  protected abstract plan(observation: PlayerObservation): void;

  act(obs: PlayerObservation, out: Intent): Intent {
    if (obs.tick % 20 === 0) {
      this.trail.push({ x: obs.pose.x, z: obs.pose.z, tick: obs.tick });
      if (this.trail.length > 200) this.trail.shift();
    }
    this.watchForBumps(obs);
    for (let guard = 0; (!this.current || this.left <= 0) && guard < 8; guard++) {
      if (this.queue.length === 0) {
        // Nobody stands with their nose to a wall: turn away first.
        if (obs.ahead < 1.2) this.turnAway(obs);
        else this.plan(obs);
      }
      this.current = this.queue.shift() ?? null;
      this.left = this.current?.ticks ?? 0;
      this.steering = false;
      // People flick through big turns quickly: the further to turn, the faster (≤ 5 rad/s).
      if (this.current?.kind === 'aim') this.aimRate = Math.min(5, Math.max(this.current.rate, 2 * Math.abs(wrapAngle(this.current.heading - obs.pose.yaw))));
    }
    out.forward = 0;
    out.strafe = 0;
    out.yawRate = 0;
    out.pitchRate = 0;
    out.jump = false;
    out.interact = false;
    const s = this.current;
    if (!s) return out;
    this.left--;
    switch (s.kind) {
      case 'hold':
        out.forward = s.forward;
        out.strafe = s.strafe;
        out.yawRate = s.yawRate;
        out.pitchRate = s.pitchRate;
        out.jump = s.jump ?? false;
        out.interact = s.interact ?? false;
        break;
      case 'aim': {
        const error = wrapAngle(s.heading - obs.pose.yaw);
        if (Math.abs(error) < 0.1) {
          this.left = 0;
        } else {
          out.yawRate = Math.sign(error) * Math.min(this.aimRate, Math.abs(error) * 20);
          out.forward = s.forward;
        }
        break;
      }
      case 'goto': {
        const dx = s.x - obs.pose.x;
        const dz = s.z - obs.pose.z;
        if (Math.hypot(dx, dz) < s.radius) {
          this.left = 0;
          break;
        }
        const error = wrapAngle(headingTo(dx, dz) - obs.pose.yaw);
        // Steer in bursts: start when off by > 0.5 rad, stop once within 0.12 rad.
        if (Math.abs(error) > 0.5) this.steering = true;
        if (Math.abs(error) < 0.12) this.steering = false;
        if (this.steering) out.yawRate = Math.sign(error) * Math.min(s.rate, Math.abs(error) * 20);
        out.forward = Math.abs(error) > 1.2 ? 0 : s.speed;
        out.jump = s.jump ?? false;
        break;
      }
    }
    this.applyGlance(out);
    return out;
  }

  // ---- helpers for subclasses ----

  protected uniform(a: number, b: number): number {
    return a + (b - a) * this.rng.nextFloat();
  }

  protected int(a: number, b: number): number {
    return Math.floor(this.uniform(a, b + 1));
  }

  protected chance(p: number): boolean {
    return this.rng.nextFloat() < p;
  }

  protected push(...segments: Segment[]): void {
    this.queue.push(...segments);
  }

  protected hold(ticks: number, intent: Partial<Omit<Extract<Segment, { kind: 'hold' }>, 'kind' | 'ticks'>> = {}): Segment {
    return { kind: 'hold', ticks, forward: 0, strafe: 0, yawRate: 0, pitchRate: 0, ...intent };
  }

  /** Stand and look around: a few mouse flicks with pauses, then level the view again. */
  protected lookAround(obs: PlayerObservation, flicks: number): void {
    let pitch = obs.pose.pitch;
    for (let i = 0; i < flicks; i++) {
      const ticks = this.int(2, 5);
      const yawRate = (this.chance(0.5) ? 1 : -1) * this.uniform(1, 4);
      const pitchRate = this.chance(0.4) ? this.clampPitchRate(pitch, (this.chance(0.5) ? 1 : -1) * this.uniform(0.6, 1.6), ticks) : 0;
      pitch += (pitchRate * ticks) / 20;
      this.push(this.hold(ticks, { yawRate, pitchRate }), this.hold(this.int(4, 14)));
    }
    this.levelView(pitch);
  }

  /** Bring the pitch back near level (people mostly look ahead). */
  protected levelView(pitch: number): void {
    if (Math.abs(pitch) < 0.12) return;
    const rate = -Math.sign(pitch) * 1.2;
    this.push(this.hold(Math.max(1, Math.round((Math.abs(pitch) / 1.2) * 20)), { pitchRate: rate }));
  }

  protected headingTo(obs: PlayerObservation, x: number, z: number): number {
    return headingTo(x - obs.pose.x, z - obs.pose.z);
  }

  /** A place passed at least `minAge` ticks ago, if any. */
  protected pastPlace(obs: PlayerObservation, minAge: number): { x: number; z: number } | null {
    const old = this.trail.filter((p) => obs.tick - p.tick >= minAge && Math.hypot(p.x - obs.pose.x, p.z - obs.pose.z) > 3);
    return old.length === 0 ? null : old[Math.floor(this.rng.nextFloat() * old.length)]!;
  }

  protected nearestObject(obs: PlayerObservation, within: number): { x: number; z: number } | null {
    let best: { x: number; z: number } | null = null;
    let bestD = within;
    for (const o of obs.objects) {
      const d = Math.hypot(o.x - obs.pose.x, o.z - obs.pose.z);
      if (d < bestD) {
        best = o;
        bestD = d;
      }
    }
    return best;
  }

  private clampPitchRate(pitch: number, rate: number, ticks: number): number {
    const next = pitch + (rate * ticks) / 20;
    return Math.abs(next) > 0.7 ? -rate : rate;
  }

  /** Walking into something: back off or turn away, as a person would after a bump. */
  private watchForBumps(obs: PlayerObservation): void {
    const s = this.current;
    const walking = s !== null && ((s.kind === 'hold' && (s.forward !== 0 || s.strafe !== 0)) || s.kind === 'goto');
    const forward = s !== null && ((s.kind === 'hold' && s.forward > 0) || s.kind === 'goto');
    // Most of the time people see a wall coming and turn before they reach it; now and then they walk into it.
    if (forward && obs.ahead < 1.1 && !this.approaching) {
      this.approaching = true;
      if (this.chance(0.75)) {
        this.queue = [];
        this.current = null;
        this.turnAway(obs);
        return;
      }
    }
    if (obs.ahead > 2) this.approaching = false;
    // Stopped by something, or sliding along a wall right in front.
    const bumped = obs.blocked > 0.6 || (obs.ahead < 0.6 && obs.blocked > 0.2);
    this.stuck = walking && bumped ? this.stuck + 1 : 0;
    if (this.stuck < 3) return;
    this.stuck = 0;
    this.queue = [];
    this.current = null;
    if (this.chance(0.5)) this.push(this.hold(this.int(3, 8), { forward: -0.7 }));
    else this.push(this.hold(this.int(2, 6)));
    this.turnAway(obs);
  }

  /** Turn away from what is in front towards open space (as people do), then walk on. */
  protected turnAway(obs: PlayerObservation): void {
    this.push({ kind: 'aim', ticks: 40, heading: this.openHeading(obs, 1), rate: this.style.turnRate, forward: 0 });
    this.push(this.hold(this.int(15, 40), { forward: this.style.speed }));
  }

  /**
   * A heading with room to walk: one of the 8 probed directions (from `fromIndex` round to
   * 8 − fromIndex), chosen at random weighted by free distance, plus a little jitter.
   */
  protected openHeading(obs: PlayerObservation, fromIndex: number): number {
    const options: { k: number; weight: number }[] = [];
    for (let k = fromIndex; k <= 8 - fromIndex; k++) {
      const d = obs.around[k % 8] ?? 0;
      if (d > 3) options.push({ k, weight: Math.min(d, 15) });
    }
    let k = fromIndex;
    if (options.length === 0) {
      for (let j = fromIndex; j <= 8 - fromIndex; j++) if ((obs.around[j % 8] ?? 0) > (obs.around[k % 8] ?? 0)) k = j;
    } else {
      let r = this.rng.nextFloat() * options.reduce((n, o) => n + o.weight, 0);
      for (const o of options) {
        k = o.k;
        r -= o.weight;
        if (r <= 0) break;
      }
    }
    return wrapAngle(obs.pose.yaw + (k * Math.PI) / 4 + this.uniform(-0.3, 0.3));
  }

  /** Occasional short glances while walking, layered over the current segment. */
  private applyGlance(out: Intent): void {
    if (this.glanceLeft > 0) {
      this.glanceLeft--;
      out.yawRate += this.glanceRate;
      out.pitchRate += this.glancePitch;
      return;
    }
    if (out.yawRate === 0 && out.forward !== 0 && this.chance(this.style.glance)) {
      this.glanceLeft = this.int(2, 4);
      this.glanceRate = (this.chance(0.5) ? 1 : -1) * this.uniform(0.8, 2.5);
      this.glancePitch = this.chance(0.25) ? (this.chance(0.5) ? 1 : -1) * this.uniform(0.4, 0.8) : 0;
    }
  }
}
