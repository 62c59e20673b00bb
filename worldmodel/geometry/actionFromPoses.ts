import { ACTION } from '../dataset/actionLayout.ts';
import { headingAxes } from './heading.ts';
import { wrapAngle, type Pose } from './Pose.ts';

const _axes = headingAxes(0);

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
  const axes = headingAxes(before.yaw, _axes);
  out[ACTION.forward] = axes.forwardX * dx + axes.forwardZ * dz;
  out[ACTION.strafe] = axes.rightX * dx + axes.rightZ * dz;
  out[ACTION.up] = after.y - before.y;
  out[ACTION.yaw] = wrapAngle(after.yaw - before.yaw);
  out[ACTION.pitch] = after.pitch - before.pitch;
  out[ACTION.jump] = buttons.jump ? 1 : 0;
  out[ACTION.interact] = buttons.interact ? 1 : 0;
  return out;
}
