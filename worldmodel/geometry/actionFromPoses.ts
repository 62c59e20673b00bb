import { ACTION } from '../dataset/actionLayout.ts';
import { wrapAngle, type Pose } from './Pose.ts';

/**
 * The action vector of one model tick, from the camera pose before and after it (after physics,
 * so a walk into a wall is "no motion"): what the model is conditioned on.
 *
 *   forward, strafe  metres along the horizontal forward / right of the camera at the tick's start
 *   up               metres of height gained
 *   yaw, pitch       radians turned (yaw + = left, pitch + = up), yaw wrapped to (−π, π]
 *   jump, interact   1 when pressed during the tick, else 0
 *
 * Values are raw slot units (the 7 slots of `DEFAULT_ACTION_SLOTS`); quantisation happens in the
 * ActionCodec. `out` is reused so the hot path allocates nothing.
 */
export function actionFromPoses(
  before: Readonly<Pose>,
  after: Readonly<Pose>,
  buttons: { jump: boolean; interact: boolean },
  out: Float32Array = new Float32Array(7),
): Float32Array {
  const dx = after.x - before.x;
  const dz = after.z - before.z;
  const sin = Math.sin(before.yaw);
  const cos = Math.cos(before.yaw);
  // Camera forward on the floor is (−sin yaw, 0, −cos yaw); right is (cos yaw, 0, −sin yaw).
  out[ACTION.forward] = -sin * dx - cos * dz;
  out[ACTION.strafe] = cos * dx - sin * dz;
  out[ACTION.up] = after.y - before.y;
  out[ACTION.yaw] = wrapAngle(after.yaw - before.yaw);
  out[ACTION.pitch] = after.pitch - before.pitch;
  out[ACTION.jump] = buttons.jump ? 1 : 0;
  out[ACTION.interact] = buttons.interact ? 1 : 0;
  return out;
}
