import { describe, expect, it } from 'vitest';
import type { InputAction } from '../../../../engine/runtime/input/Bindings.ts';
import { deadzone, DEFAULT_LOOK, intentFromInput, mouseToLook, type InputSnapshot } from '../../../../engine/runtime/input/intentFromInput.ts';
import { IDLE_INTENT, type Intent } from '../../../../engine/runtime/physics/CharacterController.ts';

function snapshot(held: InputAction[] = [], extra: Partial<InputSnapshot> = {}): InputSnapshot {
  return { held: new Set(held), move: { x: 0, y: 0 }, look: { x: 0, y: 0 }, lookDelta: { yaw: 0, pitch: 0 }, ...extra };
}
const intent = (s: InputSnapshot, settings = {}): Intent => intentFromInput(s, settings, { ...IDLE_INTENT });

describe('intentFromInput', () => {
  it('maps held keys to walking, turning, jumping and interacting', () => {
    expect(intent(snapshot(['forward']))).toMatchObject({ forward: 1, strafe: 0, yawRate: 0, jump: false });
    expect(intent(snapshot(['back', 'left']))).toMatchObject({ forward: -1, strafe: -1 });
    expect(intent(snapshot(['forward', 'back']))).toMatchObject({ forward: 0 }); // opposite keys cancel
    expect(intent(snapshot(['turnLeft'])).yawRate).toBeCloseTo(DEFAULT_LOOK.turnSpeed); // yaw + is a left turn
    expect(intent(snapshot(['turnRight'])).yawRate).toBeCloseTo(-DEFAULT_LOOK.turnSpeed);
    expect(intent(snapshot(['lookUp'])).pitchRate).toBeCloseTo(DEFAULT_LOOK.pitchSpeed);
    expect(intent(snapshot(['jump', 'interact']))).toMatchObject({ jump: true, interact: true });
    expect(intent(snapshot())).toEqual(IDLE_INTENT);
  });

  it('adds sticks to keys, clamped to full speed, with a dead zone', () => {
    expect(intent(snapshot([], { move: { x: 0.1, y: 0.1 } }))).toMatchObject({ forward: 0, strafe: 0 }); // inside the dead zone
    expect(intent(snapshot([], { move: { x: 0, y: 1 } })).forward).toBeCloseTo(1);
    expect(intent(snapshot(['forward'], { move: { x: 0, y: 1 } })).forward).toBe(1);
    const half = intent(snapshot([], { move: { x: 0.575, y: 0 } })).strafe;
    expect(half).toBeCloseTo(0.5, 5); // (0.575 − 0.15) / 0.85
    // Look stick right turns right (negative yaw rate); up looks up, or down when inverted.
    expect(intent(snapshot([], { look: { x: 1, y: 0 } })).yawRate).toBeCloseTo(-DEFAULT_LOOK.turnSpeed);
    expect(intent(snapshot([], { look: { x: 0, y: 1 } })).pitchRate).toBeCloseTo(DEFAULT_LOOK.pitchSpeed);
    expect(intent(snapshot([], { look: { x: 0, y: 1 } }), { invertY: true }).pitchRate).toBeCloseTo(-DEFAULT_LOOK.pitchSpeed);
  });

  it('uses the settings given', () => {
    expect(intent(snapshot(['turnLeft']), { turnSpeed: 1 }).yawRate).toBe(1);
  });

  it('turns mouse movement into look angles: right turns right, up looks up', () => {
    const look = mouseToLook(100, -40, { mouseSensitivity: 0.002 }, { yaw: 0, pitch: 0 });
    expect(look.yaw).toBeCloseTo(-0.2);
    expect(look.pitch).toBeCloseTo(0.08);
    expect(mouseToLook(0, -40, { mouseSensitivity: 0.002, invertY: true }, { yaw: 0, pitch: 0 }).pitch).toBeCloseTo(-0.08);
  });

  it('reads NaN stick values as centred', () => {
    expect(deadzone(Number.NaN, 0.15)).toBe(0);
    expect(deadzone(-1, 0.15)).toBe(-1);
  });
});
