import { NextframeError } from '../../../worldmodel/index.ts';
import type { PolicyAction } from '../types.ts';

/**
 * The discrete intents the scripted expert chooses among and the behaviour-cloned CNN predicts
 * (row i of its logits). Recorded into the demonstrations' `actions.json` and from there into
 * the shipped `policy.json`, so the network and its table never drift apart. Turns keep the
 * player creeping forward: recorded players walk, so world models have seen walking turns far
 * more than spins in place and paint them more faithfully.
 */
export const BC_ACTIONS: readonly Readonly<Partial<PolicyAction>>[] = [
  { forward: 1 }, // 0 walk
  { forward: 1, yawRate: 1.2 }, // 1 walk, bearing left
  { forward: 1, yawRate: -1.2 }, // 2 walk, bearing right
  { forward: 0.3, yawRate: 2.5 }, // 3 turn left while creeping on (also: search)
  { forward: 0.3, yawRate: -2.5 }, // 4 turn right while creeping on
  { forward: 0.3, strafe: -0.8 }, // 5 step left (lining up a push)
  { forward: 0.3, strafe: 0.8 }, // 6 step right
  { forward: -1 }, // 7 back off
];

export const BC_WALK = 0;
export const BC_WALK_LEFT = 1;
export const BC_WALK_RIGHT = 2;
export const BC_TURN_LEFT = 3;
export const BC_TURN_RIGHT = 4;
export const BC_STEP_LEFT = 5;
export const BC_STEP_RIGHT = 6;
export const BC_BACK = 7;

/** Row `index` of the table as a full intent. */
export function bcAction(index: number): PolicyAction {
  const a = BC_ACTIONS[index];
  if (!a) throw new NextframeError('bad-action', `bcAction: index ${index} is outside the table of ${BC_ACTIONS.length} actions; pass 0 to ${BC_ACTIONS.length - 1}.`);
  return { forward: a.forward ?? 0, strafe: a.strafe ?? 0, yawRate: a.yawRate ?? 0, pitchRate: 0, jump: false, interact: false };
}
