import type { Intent } from '../physics/CharacterController.ts';
import type { InputAction } from './Bindings.ts';

/**
 * Everything the input devices say this frame, merged: digital actions held (keys, gamepad and
 * touch buttons), analog sticks (gamepad, touch joysticks) and the mouse look accumulated since
 * the last read.
 */
export interface InputSnapshot {
  held: ReadonlySet<InputAction>;
  /** Walk stick: x right, y forward, each in [−1, 1]. */
  move: { x: number; y: number };
  /** Look stick: x right, y up, each in [−1, 1]. */
  look: { x: number; y: number };
  /** Mouse look since the last read, radians: yaw + turns left, pitch + looks up. */
  lookDelta: { yaw: number; pitch: number };
}

export interface LookSettings {
  /** Turn rate of the turn keys and of a full look-stick deflection, rad/s. Default 2.5 (a 20 Hz tick's yaw then lands on an action bin centre). */
  turnSpeed?: number;
  /** Pitch rate of the look keys and a full look-stick deflection, rad/s. Default 1.5. */
  pitchSpeed?: number;
  /** Mouse look, radians per pixel of movement. Default 0.0025. */
  mouseSensitivity?: number;
  /** Invert vertical look (mouse and sticks). Default false. */
  invertY?: boolean;
  /** Stick values below this magnitude read as 0. Default 0.15. */
  deadzone?: number;
}

export const DEFAULT_LOOK: Required<LookSettings> = { turnSpeed: 2.5, pitchSpeed: 1.5, mouseSensitivity: 0.0025, invertY: false, deadzone: 0.15 };

/**
 * Input → intent: what the player wants, before physics. Keys and sticks add up and are clamped
 * to full speed; turning keys and the look stick become turn rates (rad/s). Mouse look is an
 * angle, not a rate, so it stays in `snapshot.lookDelta` for the caller to spread over physics
 * steps. Pure; writes into `out`.
 */
export function intentFromInput(snapshot: Readonly<InputSnapshot>, settings: Readonly<LookSettings>, out: Intent): Intent {
  const s = { ...DEFAULT_LOOK, ...settings };
  const held = snapshot.held;
  const key = (plus: InputAction, minus: InputAction): number => (held.has(plus) ? 1 : 0) - (held.has(minus) ? 1 : 0);
  const ySign = s.invertY ? -1 : 1;
  out.forward = clamp1(key('forward', 'back') + deadzone(snapshot.move.y, s.deadzone));
  out.strafe = clamp1(key('right', 'left') + deadzone(snapshot.move.x, s.deadzone));
  // Look stick right turns right: yaw + is a left turn.
  out.yawRate = s.turnSpeed * clamp1(key('turnLeft', 'turnRight') - deadzone(snapshot.look.x, s.deadzone));
  out.pitchRate = s.pitchSpeed * clamp1(key('lookUp', 'lookDown') + ySign * deadzone(snapshot.look.y, s.deadzone));
  out.jump = held.has('jump');
  out.interact = held.has('interact');
  return out;
}

/** Mouse movement in pixels → look angles (radians), screen y down. */
export function mouseToLook(dx: number, dy: number, settings: Readonly<LookSettings>, out: { yaw: number; pitch: number }): { yaw: number; pitch: number } {
  const sensitivity = settings.mouseSensitivity ?? DEFAULT_LOOK.mouseSensitivity;
  const ySign = settings.invertY ? -1 : 1;
  out.yaw += -dx * sensitivity; // moving right turns right
  out.pitch += -dy * sensitivity * ySign; // moving up looks up
  return out;
}

/** A stick axis with a radial-ish dead zone, rescaled so output starts at 0 at the zone's edge. */
export function deadzone(value: number, zone: number): number {
  if (!Number.isFinite(value)) return 0;
  const magnitude = Math.abs(value);
  if (magnitude <= zone) return 0;
  return Math.sign(value) * Math.min(1, (magnitude - zone) / (1 - zone));
}

function clamp1(v: number): number {
  return Math.max(-1, Math.min(1, v));
}
