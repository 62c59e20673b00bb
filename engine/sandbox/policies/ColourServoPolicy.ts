import type { Observation, Policy, PolicyAction } from '../types.ts';
import { findColour, type ColourMatchOptions } from './findColour.ts';

export interface ColourServoOptions {
  /** Turn rate per unit of horizontal offset (offset −1…1 across the image), rad/s. Default 2.5. */
  gain?: number;
  /** Walk only when the target's centroid is within this normalised offset of the centre. Default 0.2. */
  centreTolerance?: number;
  /** Turn rate while searching (target not in view), rad/s; positive turns left. Default 1.5. */
  searchRate?: number;
  /** Fewest matching pixels that count as seeing the target (noise guard). Default 4. */
  minPixels?: number;
  match?: ColourMatchOptions;
}

/**
 * The simplest visual controller: find the pixels of the target's colour, turn toward their
 * centroid, walk when it is centred, spin in place when nothing matches. No memory, no
 * obstacle handling: it stalls against anything between it and the target.
 */
export class ColourServoPolicy implements Policy {
  readonly name = 'colour-servo';
  private readonly gain: number;
  private readonly centreTolerance: number;
  private readonly searchRate: number;
  private readonly minPixels: number;
  private readonly match: ColourMatchOptions;

  constructor(options: ColourServoOptions = {}) {
    this.gain = options.gain ?? 2.5;
    this.centreTolerance = options.centreTolerance ?? 0.2;
    this.searchRate = options.searchRate ?? 1.5;
    this.minPixels = options.minPixels ?? 4;
    this.match = options.match ?? {};
  }

  act(observation: Observation): PolicyAction {
    const { image, width, height, target } = observation;
    const blob = findColour(image, width, height, target.color, this.match);
    if (blob.count < this.minPixels) return { forward: 0, strafe: 0, yawRate: this.searchRate, pitchRate: 0, jump: false, interact: false };
    // Positive yaw turns left, and a blob right of centre (x > 0) needs a right turn.
    const yawRate = -this.gain * blob.x;
    const forward = Math.abs(blob.x) <= this.centreTolerance ? 1 : 0;
    return { forward, strafe: 0, yawRate, pitchRate: 0, jump: false, interact: false };
  }
}
