import { SeededRandom } from '../../../worldmodel/SeededRandom.ts';
import type { Observation, Policy, PolicyAction } from '../types.ts';

export interface RandomPolicyOptions {
  /** Ticks each random choice is held: a fresh choice every tick only jitters in place. Default 6. */
  holdTicks?: number;
  /** Largest turn rate drawn, rad/s. Default 2. */
  maxYawRate?: number;
}

/**
 * The floor of the comparison: ignores the image and wanders, holding each random
 * walk-and-turn for a few ticks. Seeded by `reset`, so an episode replays exactly.
 */
export class RandomPolicy implements Policy {
  readonly name = 'random';
  private readonly rng = new SeededRandom(0);
  private readonly holdTicks: number;
  private readonly maxYawRate: number;
  private held = 0;
  private readonly action: PolicyAction = { forward: 0, strafe: 0, yawRate: 0, pitchRate: 0, jump: false, interact: false };

  constructor(options: RandomPolicyOptions = {}) {
    this.holdTicks = options.holdTicks ?? 6;
    this.maxYawRate = options.maxYawRate ?? 2;
  }

  reset(seed: number): void {
    this.rng.reseed(seed ^ 0x5eed);
    this.held = 0;
  }

  act(_observation: Observation): PolicyAction {
    if (this.held === 0) {
      this.action.forward = this.rng.nextFloat();
      this.action.yawRate = (this.rng.nextFloat() * 2 - 1) * this.maxYawRate;
      this.held = this.holdTicks;
    }
    this.held--;
    return { ...this.action };
  }
}
