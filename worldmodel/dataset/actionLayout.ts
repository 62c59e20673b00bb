import type { ActionSlot } from '../manifestSchema.ts';

/**
 * The default 7-slot action layout, the same as `models/actions.py` and the manifests:
 * camera-frame motion over one tick (forward, strafe, up in metres; yaw, pitch in radians;
 * yaw + turns left, pitch + looks up) and two buttons.
 */
export const DEFAULT_ACTION_SLOTS: readonly ActionSlot[] = [
  { name: 'forward', kind: 'axis', unit: 'm/tick', scale: 0.4, bins: 9 },
  { name: 'strafe', kind: 'axis', unit: 'm/tick', scale: 0.4, bins: 9 },
  { name: 'up', kind: 'axis', unit: 'm/tick', scale: 0.5, bins: 9 },
  { name: 'yaw', kind: 'axis', unit: 'rad/tick', scale: 0.25, bins: 9 },
  { name: 'pitch', kind: 'axis', unit: 'rad/tick', scale: 0.15, bins: 9 },
  { name: 'jump', kind: 'button', unit: 'pressed', scale: 1, bins: 2 },
  { name: 'interact', kind: 'button', unit: 'pressed', scale: 1, bins: 2 },
];

/** Slot indices of the default layout, for code that builds action vectors. */
export const ACTION = { forward: 0, strafe: 1, up: 2, yaw: 3, pitch: 4, jump: 5, interact: 6 } as const;

/** The camera every dataset and default model uses (vertical FOV, aspect W/H, clip planes in metres). */
export const DEFAULT_CAMERA = { fovYDegrees: 70, aspect: 1, near: 0.05, far: 60 } as const;

/** Number of values in a pose row: x, y, z, yaw, pitch. */
export const POSE_SIZE = 5;
