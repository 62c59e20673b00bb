import { describe, expect, it } from 'vitest';
import { TurnLimiter } from '../../../../engine/runtime/plugin/TurnLimiter.ts';
import { IDLE_INTENT, type Intent } from '../../../../engine/runtime/physics/CharacterController.ts';

const dt = 1 / 60;

/** Yaw turned over `steps` physics steps. */
function turn(limiter: TurnLimiter, intent: Intent, steps: number): number[] {
  const out = { ...IDLE_INTENT };
  return Array.from({ length: steps }, () => limiter.apply(intent, dt, out).yawRate * dt);
}

describe('TurnLimiter', () => {
  it('spreads a mouse flick over ticks so no tick turns more than the action scale', () => {
    const limiter = new TurnLimiter({ maxYawPerTick: 0.25, maxPitchPerTick: 0.15, stepsPerTick: 3 });
    limiter.add(0.6, 0); // a 34° flick to the left
    const steps = turn(limiter, IDLE_INTENT, 12);
    const perTick = [0, 1, 2, 3].map((t) => steps.slice(3 * t, 3 * t + 3).reduce((a, b) => a + b, 0));
    for (const yaw of perTick) expect(Math.abs(yaw)).toBeLessThanOrEqual(0.25);
    expect(perTick.reduce((a, b) => a + b, 0)).toBeCloseTo(0.6, 6); // nothing lost
    expect(limiter.pendingYaw).toBeCloseTo(0, 9);
  });

  it('passes small movements through in one step', () => {
    const limiter = new TurnLimiter({ maxYawPerTick: 0.25, maxPitchPerTick: 0.15, stepsPerTick: 3 });
    limiter.add(-0.02, 0.01);
    const out = limiter.apply(IDLE_INTENT, dt, { ...IDLE_INTENT });
    expect(out.yawRate * dt).toBeCloseTo(-0.02);
    expect(out.pitchRate * dt).toBeCloseTo(0.01);
  });

  it('adds key turning to mouse look within the same limit, and does not bank the excess of the keys', () => {
    const limiter = new TurnLimiter({ maxYawPerTick: 0.25, maxPitchPerTick: 0.15, stepsPerTick: 3 });
    const fast: Intent = { ...IDLE_INTENT, yawRate: 30 }; // far over the limit
    limiter.add(0.05, 0);
    const steps = turn(limiter, fast, 3);
    expect(steps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(0.25);
    // The keys alone fill every step, so the queued look waits whole: none of it used, and it
    // never grows from the keys' excess.
    expect(limiter.pendingYaw).toBeCloseTo(0.05, 12);
  });

  it('forgets a huge flick beyond maxPending and clears on request', () => {
    const limiter = new TurnLimiter({ maxYawPerTick: 0.25, maxPitchPerTick: 0.15, stepsPerTick: 3, maxPending: 0.6 });
    limiter.add(5, -5);
    expect(limiter.pendingYaw).toBe(0.6);
    expect(limiter.pendingPitch).toBe(-0.6);
    limiter.clear();
    expect(limiter.pendingYaw).toBe(0);
  });
});
