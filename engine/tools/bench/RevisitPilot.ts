import { IDLE_INTENT, type Intent } from '../../runtime/index.ts';
import { wrapAngle } from '../../../worldmodel/geometry/Pose.ts';
import type { PlayerObservation, ScriptedPlayer } from '../../capture/index.ts';
import { headingTo } from '../../../worldmodel/index.ts';
import type { Phase } from './parseTrajectories.ts';

/**
 * One stretch of a planned run: `hold` keeps an intent for some ticks, `face` turns on the
 * spot to look at a point, `walk` walks to a point steering as it goes. Each labels the frames
 * it leads to with its phase.
 */
export type PilotSegment =
  | { kind: 'hold'; phase: Phase; ticks: number; yawRate?: number; forward?: number }
  | { kind: 'face'; phase: Phase; x: number; z: number; maxTicks: number }
  | { kind: 'walk'; phase: Phase; x: number; z: number; radius: number; speed: number; maxTicks: number };

/** Fastest turn, rad/s. */
const TURN_RATE = 3.5;

/**
 * Flies a planned list of segments closed loop (it sees its pose each tick, so walls and
 * momentum cannot throw it off course) and writes down every intent it gave, rounded to 1e−3
 * before use, so replaying `intents` from the same start reproduces the run exactly.
 * `finished` turns true at the first tick after the last segment (that tick's idle intent is
 * not part of the run).
 */
export class RevisitPilot implements ScriptedPlayer {
  readonly name = 'revisit-pilot';
  readonly intents: Intent[] = [];
  /** Phase of the frame each intent leads to. */
  readonly phases: Phase[] = [];
  finished = false;
  private readonly segments: readonly PilotSegment[];
  private index = 0;
  private used = 0;

  constructor(segments: readonly PilotSegment[]) {
    this.segments = segments;
  }

  act(obs: PlayerObservation, out: Intent): Intent {
    Object.assign(out, IDLE_INTENT);
    for (;;) {
      const s = this.segments[this.index];
      if (!s) {
        this.finished = true;
        return out;
      }
      if (this.drive(s, obs, out)) break;
      this.index++;
      this.used = 0;
      Object.assign(out, IDLE_INTENT);
    }
    this.used++;
    out.forward = round(out.forward);
    out.strafe = round(out.strafe);
    out.yawRate = round(out.yawRate);
    out.pitchRate = round(out.pitchRate);
    this.intents.push({ ...out });
    this.phases.push(this.segments[this.index]!.phase);
    return out;
  }

  /** Fill `out` for segment `s`; false when the segment is done (nothing to do this tick). */
  private drive(s: PilotSegment, obs: PlayerObservation, out: Intent): boolean {
    const { pose } = obs;
    switch (s.kind) {
      case 'hold':
        if (this.used >= s.ticks) return false;
        out.yawRate = s.yawRate ?? 0;
        out.forward = s.forward ?? 0;
        return true;
      case 'face': {
        const error = wrapAngle(headingTo(s.x - pose.x, s.z - pose.z) - pose.yaw);
        if (Math.abs(error) < 0.02 || this.used >= s.maxTicks) return false;
        // A tick is 0.05 s: error · 20 rad/s closes the gap in one tick once it is small.
        out.yawRate = Math.sign(error) * Math.min(TURN_RATE, Math.abs(error) * 20);
        return true;
      }
      case 'walk': {
        const dx = s.x - pose.x;
        const dz = s.z - pose.z;
        if (Math.hypot(dx, dz) < s.radius || this.used >= s.maxTicks) return false;
        const error = wrapAngle(headingTo(dx, dz) - pose.yaw);
        out.yawRate = Math.sign(error) * Math.min(TURN_RATE, Math.abs(error) * 20);
        out.forward = Math.abs(error) > 0.6 ? 0.2 * s.speed : s.speed;
        return true;
      }
    }
  }
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
