import type { Intent } from '../physics/CharacterController.ts';

export interface TurnLimiterOptions {
  /** Most yaw and pitch one model tick may turn, radians: the action slots' `scale`. */
  maxYawPerTick: number;
  maxPitchPerTick: number;
  /** Physics steps per model tick. */
  stepsPerTick: number;
  /** Most mouse look kept waiting, radians; beyond it a fast flick is cut short rather than trailing on. Default 0.6. */
  maxPending?: number;
}

/**
 * Spreads turning over physics steps so that no model tick turns more than its action can
 * express: a mouse flick of 40° becomes several ticks of the largest turn the model knows,
 * instead of one tick whose action would be clipped while the camera (and the overlays drawn
 * with it) turned the full amount. Turn keys and sticks give rates; mouse look gives angles.
 */
export class TurnLimiter {
  pendingYaw = 0;
  pendingPitch = 0;
  private readonly maxYawPerStep: number;
  private readonly maxPitchPerStep: number;
  private readonly maxPending: number;

  constructor(options: TurnLimiterOptions) {
    // A little under the limit so a full tick of the largest turn quantises to the outermost bin, not past it.
    this.maxYawPerStep = (0.999 * options.maxYawPerTick) / options.stepsPerTick;
    this.maxPitchPerStep = (0.999 * options.maxPitchPerTick) / options.stepsPerTick;
    this.maxPending = options.maxPending ?? 0.6;
  }

  /** Queue mouse look, radians (yaw + left, pitch + up). */
  add(yaw: number, pitch: number): void {
    this.pendingYaw = clamp(this.pendingYaw + yaw, this.maxPending);
    this.pendingPitch = clamp(this.pendingPitch + pitch, this.maxPending);
  }

  /**
   * The turn rates for one physics step of `dt` seconds: the intent's own rates plus as much
   * queued look as fits, within the per-step limit. Writes `out.yawRate` and `out.pitchRate`.
   */
  apply(intent: Readonly<Intent>, dt: number, out: Intent): Intent {
    const yaw = clamp(intent.yawRate * dt + this.pendingYaw, this.maxYawPerStep);
    const pitch = clamp(intent.pitchRate * dt + this.pendingPitch, this.maxPitchPerStep);
    // Queued look is used up first by what the keys did not already use.
    this.pendingYaw = moveTowardZero(this.pendingYaw, yaw - intent.yawRate * dt);
    this.pendingPitch = moveTowardZero(this.pendingPitch, pitch - intent.pitchRate * dt);
    out.yawRate = yaw / dt;
    out.pitchRate = pitch / dt;
    return out;
  }

  clear(): void {
    this.pendingYaw = this.pendingPitch = 0;
  }
}

function clamp(v: number, limit: number): number {
  return Math.max(-limit, Math.min(limit, v));
}

/** `pending` less the part of it that was used: between none of it and all of it. */
function moveTowardZero(pending: number, used: number): number {
  return pending >= 0 ? pending - Math.max(0, Math.min(pending, used)) : pending - Math.min(0, Math.max(pending, used));
}
